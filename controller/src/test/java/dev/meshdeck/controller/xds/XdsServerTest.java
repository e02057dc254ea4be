package dev.meshdeck.controller.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.controller.api.MeshEvent;
import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.controller.api.ProxyStatus.SyncState;
import dev.meshdeck.controller.bench.SimulatedProxy;
import dev.meshdeck.controller.registry.ProxyRegistry;
import dev.meshdeck.controller.testing.GreeterMesh;
import dev.meshdeck.controller.testing.VirtualScheduler;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The xDS server with its registry, tracker and publisher, against ADS clients over real gRPC. */
class XdsServerTest {
    private static final List<String> ALL_BUT_SDS = List.of(Resources.V3.LISTENER_TYPE_URL,
            Resources.V3.ROUTE_TYPE_URL, Resources.V3.CLUSTER_TYPE_URL, Resources.V3.ENDPOINT_TYPE_URL);
    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 7001);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 7002);

    private final VirtualScheduler scheduler = new VirtualScheduler();
    private final ProxyRegistry registry = new ProxyRegistry(scheduler.clock(), scheduler, Duration.ofSeconds(10));
    private final SimpleCache<String> cache = XdsServer.newCache();
    private final SyncTracker tracker = new SyncTracker(registry, cache, scheduler.clock());
    private final AtomicReference<Snapshot> mesh = new AtomicReference<>(GreeterMesh.snapshot(80, 20, A, B));
    private final List<MeshEvent> events = new CopyOnWriteArrayList<>();
    private final List<SimulatedProxy> proxies = new ArrayList<>();
    private XdsServer server;
    private SnapshotPublisher publisher;
    private ManagedChannel channel;

    @BeforeEach
    void start() {
        server = XdsServer.start(new InetSocketAddress("127.0.0.1", 0), cache, List.of(registry, tracker));
        publisher = new SnapshotPublisher(cache, registry, proxy -> mesh.get());
        registry.onEvent(events::add);
        tracker.onEvent(events::add);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        proxies.forEach(SimulatedProxy::cancel);
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        publisher.close();
        server.close();
    }

    private SimulatedProxy connect(String nodeId, List<String> types, SimulatedProxy.Reviewer reviewer) {
        SimulatedProxy p = new SimulatedProxy(channel, Node.newBuilder().setId(nodeId).setCluster("greeter").build(),
                types, reviewer, (proxy, type, version, time) -> { });
        proxies.add(p);
        return p;
    }

    private ProxyStatus status(String nodeId) {
        return tracker.status(nodeId).orElseThrow(() -> new AssertionError(nodeId + " is not a member"));
    }

    private boolean synced(String nodeId) {
        return tracker.status(nodeId).map(s -> s.overall() == SyncState.SYNCED).orElse(false);
    }

    private static void assertState(ProxyStatus status, Map<String, SyncState> expected) {
        expected.forEach((type, state) -> assertThat(status.types().get(type).state()).as(type).isEqualTo(state));
    }

    private void publish(int weightA, int weightB) {
        mesh.set(GreeterMesh.snapshot(weightA, weightB, A, B));
        publisher.publishAll();
    }

    @Test
    void aProxyThatAcksEverythingIsSynced() {
        connect("p1", ALL_BUT_SDS, SimulatedProxy.Reviewer.ACCEPT_ALL);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ProxyStatus s = status("p1");
            assertState(s, Map.of("LDS", SyncState.SYNCED, "RDS", SyncState.SYNCED, "CDS", SyncState.SYNCED,
                    "EDS", SyncState.SYNCED, "SDS", SyncState.NOT_SENT));
            assertThat(s.overall()).isEqualTo(SyncState.SYNCED);
        });
        ProxyStatus s = status("p1");
        assertThat(s.connected()).isTrue();
        assertThat(s.service()).isEqualTo("greeter");
        assertThat(s.types().get("RDS").acked()).isEqualTo(mesh.get().version(ResourceType.ROUTE));
        assertThat(events).extracting(MeshEvent::type).containsExactly(MeshEvent.Type.PROXY_CONNECTED);
    }

    @Test
    void aNackHoldsUntilALaterVersionIsAcked() {
        String rejected = GreeterMesh.snapshot(50, 50, A, B).version(ResourceType.ROUTE);
        SimulatedProxy p1 = connect("p1", ALL_BUT_SDS, response -> response.getVersionInfo().equals(rejected)
                ? Optional.of("weights 50/50 are not allowed here") : Optional.empty());
        await().atMost(Duration.ofSeconds(10)).until(() -> synced("p1"));

        publish(50, 50);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ProxyStatus s = status("p1");
            assertState(s, Map.of("RDS", SyncState.NACKED, "LDS", SyncState.SYNCED, "CDS", SyncState.SYNCED));
            assertThat(s.types().get("RDS").nack()).isEqualTo("weights 50/50 are not allowed here");
            assertThat(s.types().get("RDS").sent()).isEqualTo(rejected);
            assertThat(s.overall()).isEqualTo(SyncState.NACKED);
        });
        assertThat(events).filteredOn(e -> e.type() == MeshEvent.Type.NACK_RECEIVED).singleElement()
                .satisfies(e -> {
                    assertThat(e.subject()).isEqualTo("p1");
                    assertThat(e.message()).contains("RDS", rejected, "weights 50/50 are not allowed here");
                });

        publish(20, 80);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ProxyStatus s = status("p1");
            assertThat(s.types().get("RDS").state()).isEqualTo(SyncState.SYNCED);
            assertThat(s.types().get("RDS").nack()).isEmpty();
            assertThat(s.types().get("RDS").acked()).isEqualTo(mesh.get().version(ResourceType.ROUTE));
        });
        // 80/20, the rejected 50/50 once (not re-sent in a loop), then 20/80.
        assertThat(p1.receivedCount(Resources.V3.ROUTE_TYPE_URL)).isEqualTo(3);
    }

    @Test
    void aTypeWithResourcesThatWasNeverRequestedIsStale() {
        connect("p1", List.of(Resources.V3.LISTENER_TYPE_URL, Resources.V3.CLUSTER_TYPE_URL),
                SimulatedProxy.Reviewer.ACCEPT_ALL);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertState(status("p1"), Map.of(
                "LDS", SyncState.SYNCED, "CDS", SyncState.SYNCED, "RDS", SyncState.STALE, "EDS", SyncState.STALE,
                "SDS", SyncState.NOT_SENT)));
        assertThat(status("p1").overall()).isEqualTo(SyncState.STALE);
    }

    @Test
    void publishingTheSameVersionsAgainSetsNothing() {
        connect("p1", ALL_BUT_SDS, SimulatedProxy.Reviewer.ACCEPT_ALL);
        connect("p2", ALL_BUT_SDS, SimulatedProxy.Reviewer.ACCEPT_ALL);
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.state().proxies().size() == 2);

        assertThat(publisher.publishAll()).isEqualTo(new SnapshotPublisher.Published(0, 2, 0));

        mesh.set(GreeterMesh.snapshot(30, 70, A, B));
        assertThat(publisher.publishAll()).isEqualTo(new SnapshotPublisher.Published(2, 0, 0));
    }

    @Test
    void aProxyWhoseSnapshotCannotBeMadeKeepsItsOldOneAndTheOthersGetTheirs() {
        connect("p1", ALL_BUT_SDS, SimulatedProxy.Reviewer.ACCEPT_ALL);
        connect("p2", ALL_BUT_SDS, SimulatedProxy.Reviewer.ACCEPT_ALL);
        await().atMost(Duration.ofSeconds(10)).until(() -> synced("p1") && synced("p2"));
        Snapshot before = cache.getSnapshot("p1");

        Snapshot next = GreeterMesh.snapshot(30, 70, A, B);
        SnapshotPublisher.Published published = publisher.publishAll(proxy -> {
            if (proxy.nodeId().equals("p1")) {
                throw new IllegalStateException("translator bug");
            }
            return next;
        });

        assertThat(published).isEqualTo(new SnapshotPublisher.Published(1, 0, 1));
        assertThat(cache.getSnapshot("p1")).isSameAs(before);
        assertThat(cache.getSnapshot("p2")).isSameAs(next);
    }

    @Test
    void aProxyThatClosesItsStreamLeavesAtOnceWithItsSnapshot() {
        SimulatedProxy p1 = connect("p1", ALL_BUT_SDS, SimulatedProxy.Reviewer.ACCEPT_ALL);
        await().atMost(Duration.ofSeconds(10)).until(() -> synced("p1"));

        p1.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> p1.closedWith().isPresent());
        scheduler.advance(ProxyRegistry.GOODBYE);

        assertThat(registry.member("p1")).isEmpty();
        assertThat(cache.getSnapshot("p1")).isNull();
        assertThat(events).extracting(MeshEvent::type)
                .containsExactly(MeshEvent.Type.PROXY_CONNECTED, MeshEvent.Type.PROXY_GONE);
        assertThat(events.get(1).message()).endsWith("gone: it closed its stream (a sidecar that stops)");
    }

    @Test
    void aProxyWhoseStreamBreaksStaysDuringTheGracePeriodAndLeavesAfterIt() {
        SimulatedProxy p1 = connect("p1", ALL_BUT_SDS, SimulatedProxy.Reviewer.ACCEPT_ALL);
        await().atMost(Duration.ofSeconds(10)).until(() -> synced("p1"));

        p1.cancel();
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.member("p1").map(m -> !m.connected()).orElse(false));
        scheduler.advance(Duration.ofSeconds(9));
        assertThat(registry.member("p1")).isPresent();
        assertThat(cache.getSnapshot("p1")).isNotNull();

        scheduler.advance(Duration.ofSeconds(1));
        assertThat(registry.member("p1")).isEmpty();
        assertThat(tracker.status("p1")).isEmpty();
        assertThat(cache.getSnapshot("p1")).isNull();
        assertThat(events).extracting(MeshEvent::type)
                .containsExactly(MeshEvent.Type.PROXY_CONNECTED, MeshEvent.Type.PROXY_GONE);
    }

    @Test
    void aProxyThatReconnectsWithinTheGracePeriodStaysAndIsServedAgain() {
        SimulatedProxy first = connect("p1", ALL_BUT_SDS, SimulatedProxy.Reviewer.ACCEPT_ALL);
        await().atMost(Duration.ofSeconds(10)).until(() -> synced("p1"));
        first.cancel();
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.member("p1").map(m -> !m.connected()).orElse(false));
        scheduler.advance(Duration.ofSeconds(5));

        SimulatedProxy second = connect("p1", ALL_BUT_SDS, SimulatedProxy.Reviewer.ACCEPT_ALL);
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.member("p1").map(m -> m.connected()).orElse(false));
        scheduler.advance(Duration.ofSeconds(30));

        assertThat(registry.member("p1")).isPresent();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                second.accepted(Resources.V3.ROUTE_TYPE_URL).equals(mesh.get().version(ResourceType.ROUTE)));
        assertThat(events).extracting(MeshEvent::type).containsExactly(MeshEvent.Type.PROXY_CONNECTED);
    }

    @Test
    void aProxyThatComesBackAfterLeavingRejoins() {
        SimulatedProxy first = connect("p1", ALL_BUT_SDS, SimulatedProxy.Reviewer.ACCEPT_ALL);
        await().atMost(Duration.ofSeconds(10)).until(() -> synced("p1"));
        first.cancel();
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.member("p1").map(m -> !m.connected()).orElse(false));
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(registry.member("p1")).isEmpty();

        connect("p1", ALL_BUT_SDS, SimulatedProxy.Reviewer.ACCEPT_ALL);

        await().atMost(Duration.ofSeconds(10)).until(() ->
                synced("p1"));
        assertThat(events).extracting(MeshEvent::type).containsExactly(
                MeshEvent.Type.PROXY_CONNECTED, MeshEvent.Type.PROXY_GONE, MeshEvent.Type.PROXY_CONNECTED);
    }

    @Test
    void anOldStreamEndingAfterItsReplacementOpenedDoesNotEndTheMembership() {
        SimulatedProxy old = connect("p1", ALL_BUT_SDS, SimulatedProxy.Reviewer.ACCEPT_ALL);
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.member("p1").isPresent());
        SimulatedProxy replacement = connect("p1", ALL_BUT_SDS, SimulatedProxy.Reviewer.ACCEPT_ALL);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                replacement.accepted(Resources.V3.CLUSTER_TYPE_URL).equals(mesh.get().version(ResourceType.CLUSTER)));

        old.cancel();
        await().atMost(Duration.ofSeconds(10)).until(() -> old.closedWith().isPresent());
        scheduler.advance(Duration.ofMinutes(1));

        assertThat(registry.member("p1")).hasValueSatisfying(m -> assertThat(m.connected()).isTrue());
    }

    /**
     * grpc-xds names the clusters it watches and stops watching one that no route uses any more; when a
     * route uses it again, the client asks for it again with the version and nonce it already had.
     */
    @Test
    void aResourceNameDroppedAndAskedForAgainIsSentAgain() throws InterruptedException {
        BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
        StreamObserver<DiscoveryRequest> ads = AggregatedDiscoveryServiceGrpc.newStub(channel)
                .streamAggregatedResources(new StreamObserver<>() {
                    @Override
                    public void onNext(DiscoveryResponse response) {
                        responses.add(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        Node node = Node.newBuilder().setId("grpc-client").build();
        List<String> both = List.of(GreeterMesh.CLUSTER_A, GreeterMesh.CLUSTER_B);
        ads.onNext(edsRequest(node, both, "", ""));
        DiscoveryResponse first = responses.poll(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(resourceNames(first)).containsExactlyInAnyOrderElementsOf(both);

        ads.onNext(edsRequest(node, List.of(GreeterMesh.CLUSTER_A), first.getVersionInfo(), first.getNonce()));
        ads.onNext(edsRequest(node, both, first.getVersionInfo(), first.getNonce()));

        DiscoveryResponse again = responses.poll(10, TimeUnit.SECONDS);
        assertThat(again).as("a response to the request naming %s again", GreeterMesh.CLUSTER_B).isNotNull();
        assertThat(resourceNames(again)).containsExactlyInAnyOrderElementsOf(both);
        assertThat(again.getVersionInfo()).isEqualTo(first.getVersionInfo());
        ads.onCompleted();
    }

    private static DiscoveryRequest edsRequest(Node node, List<String> names, String version, String nonce) {
        return DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(Resources.V3.ENDPOINT_TYPE_URL)
                .addAllResourceNames(names).setVersionInfo(version).setResponseNonce(nonce).build();
    }

    private static List<String> resourceNames(DiscoveryResponse response) {
        return response.getResourcesList().stream().map(Resources::getResourceName).toList();
    }

    @Test
    void listensOnTheBoundPort() {
        assertThat(server.port()).isPositive();
        assertThat(XdsServer.DEFAULT_PORT).isEqualTo(15010);
    }
}
