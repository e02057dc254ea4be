package dev.meshdeck.controller.api.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshdeck.api.v1.Event;
import dev.meshdeck.controller.api.ControllerStatus;
import dev.meshdeck.controller.api.MeshEvent;
import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.controller.config.Kind;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProtosTest {
    @Test
    void everyEventTypeHasItsCounterpartOnTheWire() {
        for (MeshEvent.Type type : MeshEvent.Type.values()) {
            MeshEvent e = new MeshEvent(Instant.ofEpochSecond(1, 5), type, "s", "m");
            assertThat(Protos.fromProto(Protos.toProto(e))).isEqualTo(e);
        }
    }

    @Test
    void everySyncStateHasItsCounterpartOnTheWire() {
        for (ProxyStatus.SyncState state : ProxyStatus.SyncState.values()) {
            ProxyStatus p = new ProxyStatus("n", "s", "default", Map.of(), "", true,
                    Map.of("CDS", new ProxyStatus.TypeSync("1", "1", "", state)), null);
            assertThat(Protos.fromProto(Protos.toProto(p))).isEqualTo(p);
        }
    }

    @Test
    void keepsAProxyWholeToTheNanosecondAndWithoutAConnectTime() {
        // A real controller's clock gives microseconds at best, so exact nanoseconds are checked here.
        ProxyStatus reviews = new ProxyStatus("sidecar~127.0.0.1~reviews-v2.default", "reviews", "default",
                Map.of("app", "reviews", "version", "v2"), "127.0.0.1:15006", true,
                Map.of("CDS", new ProxyStatus.TypeSync("c1", "c1", "", ProxyStatus.SyncState.SYNCED),
                        "LDS", new ProxyStatus.TypeSync("l2", "l1", "listener 'outbound': unknown filter",
                                ProxyStatus.SyncState.NACKED)),
                Instant.parse("2026-11-24T09:30:00.123456789Z"));
        ProxyStatus client = new ProxyStatus("grpc~loadgen", "", "default", Map.of(), "", false, Map.of(), null);
        assertThat(Protos.fromProto(Protos.toProto(reviews))).isEqualTo(reviews);
        assertThat(Protos.fromProto(Protos.toProto(client))).isEqualTo(client);
    }

    @Test
    void keepsTheStatusWithAndWithoutAMeshCa() {
        ControllerStatus withCa = new ControllerStatus("0.1.0", 3, 2, 1, 0, "127.0.0.1:15010",
                Instant.parse("2026-11-24T09:30:00Z"), Optional.of(new ControllerStatus.MeshCa("cluster.local",
                        "AB:CD", Instant.parse("2036-11-22T09:30:00Z"))));
        ControllerStatus withoutCa = new ControllerStatus("0.1.0", 3, 2, 1, 0, "127.0.0.1:15010",
                Instant.parse("2026-11-24T09:30:00Z"));
        assertThat(Protos.fromProto(Protos.toProto(withCa))).isEqualTo(withCa);
        assertThat(Protos.fromProto(Protos.toProto(withoutCa))).isEqualTo(withoutCa);
    }

    @Test
    void acceptsKindNamesAndCommandLineNamesButNothingElse() {
        for (Kind k : Kind.values()) {
            assertThat(Protos.kind(k.kindName())).isEqualTo(k);
            assertThat(Protos.kind(k.shortName())).isEqualTo(k);
        }
        assertThatThrownBy(() -> Protos.kind("Gateway"))
                .hasMessageStartingWith("kind: 'Gateway' (expected one of: VirtualService, DestinationRule");
    }

    @Test
    void rejectsAnEventWithoutAType() {
        assertThatThrownBy(() -> Protos.fromProto(Event.getDefaultInstance()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("event type: EVENT_TYPE_UNSPECIFIED");
    }
}
