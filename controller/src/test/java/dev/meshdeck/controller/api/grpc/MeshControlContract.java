package dev.meshdeck.controller.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.controller.api.ApplyResult;
import dev.meshdeck.controller.api.ControllerStatus;
import dev.meshdeck.controller.api.MeshEvent;
import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.controller.api.ProxyStatus.SyncState;
import dev.meshdeck.controller.api.ProxyStatus.TypeSync;
import dev.meshdeck.controller.api.RevisionInfo;
import dev.meshdeck.controller.api.SourceFile;
import dev.meshdeck.controller.api.StoredDocument;
import dev.meshdeck.controller.config.ConfigError;
import dev.meshdeck.controller.config.Kind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code meshdeck.v1} method through a real channel and back: what the client returns must equal
 * what the control plane behind the server returned. Run once per transport by the subclasses.
 */
abstract class MeshControlContract {
    static final String VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews
            spec:
              hosts: [reviews]
            """;
    static final String DR = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: reviews
              namespace: prod
            spec:
              host: reviews
            """;

    @TempDir
    Path dir;
    TestControlPlane controlPlane;
    ApiServer server;
    RemoteControlPlane client;

    /** Starts a server over {@code cp}. */
    abstract ApiServer serve(TestControlPlane cp) throws IOException;

    /** A client of {@code server}. */
    abstract RemoteControlPlane connect(ApiServer server);

    @BeforeEach
    void start() throws IOException {
        controlPlane = new TestControlPlane(dir);
        server = serve(controlPlane);
        client = connect(server);
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
        controlPlane.close();
    }

    @Test
    void appliesFilesAndReturnsTheNewRevisionAndDiff() {
        ApplyResult r = client.apply(List.of(new SourceFile("bookinfo.yaml", VS + "---\n" + DR)), false, false);
        assertThat(r.applied()).isTrue();
        assertThat(r.revision()).isEqualTo(1);
        assertThat(r.errors()).isEmpty();
        assertThat(r.diff()).startsWith("--- revision 0\n+++ proposed\n").contains("+# DestinationRule prod/reviews\n");
        assertThat(client.apply(List.of(new SourceFile("again.yaml", VS)), false, false))
                .isEqualTo(new ApplyResult(false, 1, List.of(), ""));
    }

    @Test
    void aDryRunChangesNothingAndAReplaceDropsWhatIsNotInTheFiles() {
        client.apply(List.of(new SourceFile("a.yaml", VS + "---\n" + DR)), false, false);
        ApplyResult dry = client.apply(List.of(new SourceFile("b.yaml", VS)), true, true);
        assertThat(dry.applied()).isFalse();
        assertThat(dry.revision()).isEqualTo(1);
        assertThat(dry.diff()).contains("-# DestinationRule prod/reviews");
        assertThat(client.config(Optional.empty())).hasSize(2);
        assertThat(client.apply(List.of(new SourceFile("b.yaml", VS)), false, true).revision()).isEqualTo(2);
        assertThat(client.config(Optional.empty())).extracting(d -> d.key().kind()).containsExactly(Kind.VIRTUAL_SERVICE);
    }

    @Test
    void returnsEveryConfigErrorFieldForField() {
        ApplyResult r = client.apply(List.of(new SourceFile("bad.yaml", "kind: Gateway\nmetadata:\n  name: x\n---\nkind: VirtualService\n")), false, false);
        assertThat(r.valid()).isFalse();
        assertThat(r.applied()).isFalse();
        assertThat(r.errors()).containsExactly(
                new ConfigError("bad.yaml", 1, null, "kind", 1, "unknown kind (expected one of VirtualService, DestinationRule, ServiceEntry, WorkloadEntry)"),
                new ConfigError("bad.yaml", 2, null, "metadata.name", 0, "missing"));
        assertThat(r.errors().get(1)).hasToString("bad.yaml: document 2: metadata.name: missing");
    }

    @Test
    void getsTheLiveConfigByKindAndOldRevisions() {
        client.apply(List.of(new SourceFile("a.yaml", VS + "---\n" + DR)), false, false);
        client.apply(List.of(new SourceFile("b.yaml", VS.replace("[reviews]", "[reviews, ratings]"))), false, false);
        List<StoredDocument> expected = controlPlane.config(Optional.empty());
        assertThat(client.config(Optional.empty())).isEqualTo(expected);
        assertThat(client.config(Optional.of(Kind.DESTINATION_RULE))).isEqualTo(controlPlane.config(Optional.of(Kind.DESTINATION_RULE)))
                .hasSize(1);
        assertThat(client.revision(1)).isEqualTo(controlPlane.revision(1));
        assertThat(client.revision(0)).isEmpty();
        assertThat(client.revisions()).isEqualTo(controlPlane.revisions())
                .extracting(RevisionInfo::number, RevisionInfo::source, RevisionInfo::summary)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "a.yaml", "+2 ~0 -0"),
                        org.assertj.core.groups.Tuple.tuple(2, "b.yaml", "+0 ~1 -0"));
    }

    @Test
    void diffsAndRollsBackRevisions() {
        client.apply(List.of(new SourceFile("a.yaml", VS)), false, false);
        client.apply(List.of(new SourceFile("b.yaml", DR)), false, false);
        assertThat(client.diff(1, 2)).isEqualTo(controlPlane.diff(1, 2)).startsWith("--- revision 1\n+++ revision 2\n");
        ApplyResult r = client.rollback(1);
        assertThat(r.applied()).isTrue();
        assertThat(r.revision()).isEqualTo(3);
        assertThat(client.revisions().get(2).source()).isEqualTo("rollback to 1");
        assertThat(client.config(Optional.empty())).isEqualTo(client.revision(1));
    }

    @Test
    void anUnknownRevisionIsNotFoundAndABadKindIsInvalid() {
        assertThatThrownBy(() -> client.revision(7)).isInstanceOf(NoSuchElementException.class)
                .hasMessage("revision 7 does not exist (the live revision is 0)");
        assertThatThrownBy(() -> client.diff(0, 3)).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> client.rollback(3)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void listsProxiesWithTheirSyncStateAndReportsStatus() {
        Instant since = Instant.parse("2026-11-24T09:30:00.123456789Z");
        ProxyStatus reviews = new ProxyStatus("sidecar~127.0.0.1~reviews-v2.default", "reviews", "default",
                Map.of("app", "reviews", "version", "v2"), "127.0.0.1:15006", true,
                Map.of("CDS", new TypeSync("c1", "c1", "", SyncState.SYNCED),
                        "LDS", new TypeSync("l2", "l1", "listener 'outbound': unknown filter", SyncState.NACKED),
                        "EDS", new TypeSync("e1", "", "", SyncState.STALE),
                        "SDS", new TypeSync("", "", "", SyncState.NOT_SENT)),
                since);
        ProxyStatus client = new ProxyStatus("grpc~loadgen", "", "default", Map.of(), "", false, Map.of(), null);
        controlPlane.setProxies(List.of(reviews, client));
        assertThat(this.client.proxies()).containsExactly(reviews, client);
        assertThat(this.client.status()).isEqualTo(new ControllerStatus("test", 0, 2, 1, 1, "127.0.0.1:15010", TestControlPlane.STARTED));
    }

    @Test
    void streamsEventsUntilTheSubscriberCloses() throws Exception {
        List<MeshEvent> received = new CopyOnWriteArrayList<>();
        AutoCloseable subscription = client.subscribe(received::add);
        await().until(() -> controlPlane.subscribers() == 1);
        MeshEvent connected = new MeshEvent(Instant.parse("2026-11-24T10:00:00Z"), MeshEvent.Type.PROXY_CONNECTED, "sidecar~a", "reviews v2 connected");
        MeshEvent nack = new MeshEvent(Instant.parse("2026-11-24T10:00:01Z"), MeshEvent.Type.NACK_RECEIVED, "sidecar~a", "LDS l2: bad");
        controlPlane.publish(connected);
        controlPlane.publish(nack);
        client.apply(List.of(new SourceFile("a.yaml", VS)), false, false);
        await().until(() -> received.size() == 3);
        assertThat(received).startsWith(connected, nack);
        assertThat(received.get(2).type()).isEqualTo(MeshEvent.Type.CONFIG_APPLIED);
        assertThat(received.get(2).subject()).isEqualTo("revision 1");
        subscription.close();
        await().until(() -> controlPlane.subscribers() == 0 && server.openEventStreams() == 0);
    }

    @Test
    void anEventStreamEndsCleanlyWhenTheServerShutsDown() {
        List<Optional<RuntimeException>> ends = new CopyOnWriteArrayList<>();
        client.subscribe(e -> { }, ends::add);
        await().until(() -> controlPlane.subscribers() == 1);
        server.close();
        await().until(() -> ends.size() == 1);
        assertThat(ends.get(0)).isEmpty();
        assertThat(controlPlane.subscribers()).isZero();
    }
}
