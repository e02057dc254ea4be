package dev.meshdeck.controller.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshdeck.controller.api.MeshEvent;
import dev.meshdeck.controller.testing.VirtualScheduler;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProxyRegistryTest {
    private final VirtualScheduler scheduler = new VirtualScheduler();
    private final ProxyRegistry registry = new ProxyRegistry(scheduler.clock(), scheduler, Duration.ofSeconds(10));
    private final List<MeshEvent> events = new CopyOnWriteArrayList<>();
    private final List<RegistryState> changes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() {
        registry.onEvent(events::add);
        registry.onChange(changes::add);
    }

    private static Node node(String id, String service, int inboundPort) {
        return Node.newBuilder().setId(id).setMetadata(Struct.newBuilder()
                .putFields("SERVICE", Value.newBuilder().setStringValue(service).build())
                .putFields("INBOUND_PORT", Value.newBuilder().setNumberValue(inboundPort).build())).build();
    }

    private void open(long stream, Node node) {
        registry.onV3StreamRequest(stream, DiscoveryRequest.newBuilder()
                .setNode(node).setTypeUrl(Resources.V3.CLUSTER_TYPE_URL).build());
    }

    private List<MeshEvent.Type> eventTypes() {
        return events.stream().map(MeshEvent::type).toList();
    }

    @Test
    void joinsWithTheFirstRequestThatCarriesANode() {
        assertThat(registry.state().proxies()).isEmpty();

        registry.onV3StreamRequest(1, DiscoveryRequest.newBuilder().setNode(node("a", "reviews", 9001)).build());

        assertThat(registry.state().proxies()).extracting(ProxyInfo::nodeId).containsExactly("a");
        assertThat(registry.member("a")).hasValueSatisfying(m -> {
            assertThat(m.connected()).isTrue();
            assertThat(m.info().service()).isEqualTo("reviews");
            assertThat(m.connectedSince()).isEqualTo(scheduler.clock().instant());
        });
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(MeshEvent.Type.PROXY_CONNECTED);
            assertThat(e.subject()).isEqualTo("a");
        });
        assertThat(changes).hasSize(1);
    }

    @Test
    void laterRequestsOfTheSameStreamChangeNothing() {
        open(1, node("a", "reviews", 9001));
        registry.onV3StreamRequest(1, DiscoveryRequest.newBuilder().setNode(node("a", "reviews", 9001)).build());
        registry.onV3StreamRequest(1, DiscoveryRequest.newBuilder().build());

        assertThat(events).hasSize(1);
        assertThat(changes).hasSize(1);
    }

    @Test
    void staysDuringTheGracePeriodAndLeavesAfterIt() {
        open(1, node("a", "reviews", 9001));
        registry.onStreamCloseWithError(1, "", new RuntimeException("reset"));

        scheduler.advance(Duration.ofSeconds(9));
        assertThat(registry.member("a")).hasValueSatisfying(m -> assertThat(m.connected()).isFalse());
        assertThat(registry.state().proxies()).hasSize(1);

        scheduler.advance(Duration.ofSeconds(1));
        assertThat(registry.state().proxies()).isEmpty();
        assertThat(eventTypes()).containsExactly(MeshEvent.Type.PROXY_CONNECTED, MeshEvent.Type.PROXY_GONE);
        assertThat(changes).last().isEqualTo(RegistryState.EMPTY);
    }

    @Test
    void aProxyThatClosesItsLastStreamItselfLeavesAtOnce() {
        open(1, node("a", "reviews", 9001));
        open(2, node("a", "reviews", 9001));
        registry.onStreamClose(1, "");
        assertThat(registry.member("a")).hasValueSatisfying(m -> assertThat(m.connected()).isTrue());

        registry.onStreamClose(2, "");
        scheduler.advance(ProxyRegistry.GOODBYE);

        assertThat(registry.state().proxies()).isEmpty();
        assertThat(events).last().satisfies(e -> {
            assertThat(e.type()).isEqualTo(MeshEvent.Type.PROXY_GONE);
            assertThat(e.message()).endsWith("gone: it closed its stream (a sidecar that stops)");
        });
        assertThat(changes).last().isEqualTo(RegistryState.EMPTY);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void aGoodbyeAfterABrokenStreamEndsTheGracePeriodAtOnce() {
        open(1, node("a", "reviews", 9001));
        registry.onStreamCloseWithError(1, "", new RuntimeException("reset"));
        open(2, node("a", "reviews", 9001));

        registry.onStreamClose(2, "");
        scheduler.advance(ProxyRegistry.GOODBYE);

        assertThat(registry.member("a")).isEmpty();
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(eventTypes()).containsExactly(MeshEvent.Type.PROXY_CONNECTED, MeshEvent.Type.PROXY_GONE);
    }

    @Test
    void aReconnectWithinTheGracePeriodChangesNothing() {
        open(1, node("a", "reviews", 9001));
        registry.onStreamCloseWithError(1, "", new RuntimeException("reset"));
        scheduler.advance(Duration.ofSeconds(5));

        open(2, node("a", "reviews", 9001));
        scheduler.advance(Duration.ofSeconds(30));

        assertThat(registry.member("a")).hasValueSatisfying(m -> {
            assertThat(m.connected()).isTrue();
            assertThat(m.connectedSince()).isEqualTo(scheduler.clock().instant().minusSeconds(30));
        });
        assertThat(eventTypes()).containsExactly(MeshEvent.Type.PROXY_CONNECTED);
        assertThat(changes).hasSize(1);
    }

    @Test
    void rejoinsAfterHavingLeft() {
        open(1, node("a", "reviews", 9001));
        registry.onStreamCloseWithError(1, "", new RuntimeException("reset"));
        scheduler.advance(Duration.ofSeconds(10));

        open(2, node("a", "reviews", 9001));

        assertThat(registry.state().proxies()).extracting(ProxyInfo::nodeId).containsExactly("a");
        assertThat(eventTypes()).containsExactly(
                MeshEvent.Type.PROXY_CONNECTED, MeshEvent.Type.PROXY_GONE, MeshEvent.Type.PROXY_CONNECTED);
    }

    @Test
    void countsTheStreamsOfOneNode() {
        open(1, node("a", "reviews", 9001));
        open(2, node("a", "reviews", 9001));
        registry.onStreamCloseWithError(1, "", new RuntimeException("reset"));
        scheduler.advance(Duration.ofMinutes(1));

        assertThat(registry.member("a")).hasValueSatisfying(m -> assertThat(m.connected()).isTrue());

        registry.onStreamCloseWithError(2, "", new RuntimeException("reset"));
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(registry.member("a")).isEmpty();
    }

    @Test
    void anOldStreamEndingAfterTheReconnectDoesNotStartTheGracePeriod() {
        open(1, node("a", "reviews", 9001));
        open(2, node("a", "reviews", 9001));
        registry.onStreamCloseWithError(1, "", new RuntimeException("old connection reset"));
        scheduler.advance(Duration.ofSeconds(20));

        assertThat(registry.member("a")).isPresent();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void aReconnectWithNewNodeDataIsAChangeButNotAnEvent() {
        open(1, node("a", "reviews", 9001));
        registry.onStreamCloseWithError(1, "", new RuntimeException("reset"));
        open(2, node("a", "reviews", 9002));

        assertThat(registry.state().proxies()).singleElement()
                .satisfies(p -> assertThat(p.inboundPort()).isEqualTo(9002));
        assertThat(changes).hasSize(2);
        assertThat(events).hasSize(1);
    }

    @Test
    void keepsMembersSortedByNodeId() {
        open(1, node("c", "ratings", 1));
        open(2, node("a", "reviews", 2));
        open(3, node("b", "details", 3));

        assertThat(registry.state().proxies()).extracting(ProxyInfo::nodeId).containsExactly("a", "b", "c");
        assertThat(registry.members()).extracting(m -> m.info().nodeId()).containsExactly("a", "b", "c");
    }

    @Test
    void aStreamThatNeverNamedItsNodeIsForgotten() {
        registry.onV3StreamRequest(1, DiscoveryRequest.newBuilder().setTypeUrl(Resources.V3.CLUSTER_TYPE_URL).build());
        registry.onStreamClose(1, "");

        assertThat(registry.state()).isEqualTo(RegistryState.EMPTY);
        assertThat(events).isEmpty();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() {
        List<RegistryState> seen = new CopyOnWriteArrayList<>();
        registry.onChange(s -> {
            throw new IllegalStateException("listener bug");
        });
        registry.onChange(seen::add);

        open(1, node("a", "reviews", 9001));

        assertThat(seen).hasSize(1);
    }

    @Test
    void aClosedSubscriptionHearsNothingMore() {
        List<MeshEvent> seen = new CopyOnWriteArrayList<>();
        Subscription s = registry.onEvent(seen::add);
        s.close();

        open(1, node("a", "reviews", 9001));

        assertThat(seen).isEmpty();
    }

    private static ProxyInfo saved(String id, String service, int inboundPort) {
        return ProxyInfo.fromNode(node(id, service, inboundPort));
    }

    @Test
    void restoredProxiesAreMembersThatAreNotConnected() {
        registry.restore(List.of(saved("b", "ratings", 9002), saved("a", "reviews", 9001)), Duration.ofSeconds(40));

        assertThat(registry.state().proxies()).extracting(ProxyInfo::nodeId).containsExactly("a", "b");
        assertThat(registry.members()).allSatisfy(m -> {
            assertThat(m.connected()).isFalse();
            assertThat(m.connectedSince()).isEqualTo(scheduler.clock().instant());
        });
        assertThat(changes).hasSize(1);
        assertThat(events).isEmpty();
    }

    @Test
    void aRestoredProxyThatReconnectsWithinTheRestartGraceCarriesOnAsIfItNeverLeft() {
        registry.restore(List.of(saved("a", "reviews", 9001)), Duration.ofSeconds(40));
        scheduler.advance(Duration.ofSeconds(35));

        open(1, node("a", "reviews", 9001));
        scheduler.advance(Duration.ofMinutes(5));

        assertThat(registry.state().proxies()).extracting(ProxyInfo::inboundPort).containsExactly(9001);
        assertThat(registry.member("a")).hasValueSatisfying(m -> assertThat(m.connected()).isTrue());
        assertThat(changes).as("one change: the restore").hasSize(1);
        assertThat(events).isEmpty();
    }

    @Test
    void aRestoredProxyThatDoesNotReconnectLeavesWhenTheRestartGraceEnds() {
        registry.restore(List.of(saved("a", "reviews", 9001), saved("b", "ratings", 9002)), Duration.ofSeconds(40));
        open(1, node("b", "ratings", 9002));

        scheduler.advance(Duration.ofSeconds(39));
        assertThat(registry.state().proxies()).extracting(ProxyInfo::nodeId).containsExactly("a", "b");
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(registry.state().proxies()).extracting(ProxyInfo::nodeId).containsExactly("b");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(MeshEvent.Type.PROXY_GONE);
            assertThat(e.subject()).isEqualTo("a");
            assertThat(e.message()).contains("did not reconnect within 40000 ms of the controller's restart");
        });
    }

    @Test
    void aRestoredProxyThatReconnectsAndDropsAgainGetsTheNormalGrace() {
        registry.restore(List.of(saved("a", "reviews", 9001)), Duration.ofSeconds(40));
        open(1, node("a", "reviews", 9001));
        registry.onStreamCloseWithError(1, "", new RuntimeException("reset"));

        scheduler.advance(Duration.ofSeconds(10));

        assertThat(registry.state().proxies()).isEmpty();
    }

    @Test
    void restoringLeavesProxiesThatAreMembersAlreadyAsTheyAre() {
        open(1, node("a", "reviews", 9001));

        registry.restore(List.of(saved("a", "reviews", 7777)), Duration.ofSeconds(40));
        scheduler.advance(Duration.ofMinutes(1));

        assertThat(registry.member("a")).hasValueSatisfying(m -> {
            assertThat(m.connected()).isTrue();
            assertThat(m.info().inboundPort()).isEqualTo(9001);
        });
    }
}
