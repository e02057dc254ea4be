package dev.meshdeck.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshdeck.controller.api.ApplyResult;
import dev.meshdeck.controller.api.MeshEvent;
import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.controller.api.ProxyStatus.SyncState;
import dev.meshdeck.controller.api.SourceFile;
import dev.meshdeck.controller.api.grpc.HostPort;
import dev.meshdeck.controller.bench.SimulatedProxy;
import dev.meshdeck.controller.bench.SimulatedSidecars;
import dev.meshdeck.controller.config.Kind;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole controller on loopback: config in, xDS out to ADS clients, revisions, events, restarts. */
class ControllerServerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<MeshEvent> events = Collections.synchronizedList(new ArrayList<>());
    private Path configDir;

    @BeforeEach
    void writeBookinfoConfig() throws IOException {
        configDir = Files.createDirectories(tmp.resolve("config"));
        for (String name : List.of("destination-rule-all.yaml", "virtual-service-all-v1.yaml")) {
            Files.writeString(configDir.resolve(name), fixture(name));
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void servesTheStartupConfigToSidecarsAndReportsThemSynced() throws Exception {
        ControllerServer server = start();
        SimulatedProxy productpage = connect(server, "productpage", "v1", 9080, SimulatedProxy.Reviewer.ACCEPT_ALL);
        connect(server, "reviews", "v2", 9082, SimulatedProxy.Reviewer.ACCEPT_ALL);

        await().atMost(WAIT).until(() -> server.controlPlane().proxies().size() == 2
                && server.controlPlane().proxies().stream().allMatch(p -> p.overall() == SyncState.SYNCED));
        await().atMost(WAIT).until(() -> endpointsOf(productpage, "outbound|80|v2|reviews.default.svc.cluster.local")
                .contains("127.0.0.1:9082"));
        assertThat(clusterNames(productpage)).contains("outbound|80|v1|reviews.default.svc.cluster.local",
                "outbound|80|v3|reviews.default.svc.cluster.local");
        assertThat(server.revision()).isEqualTo(1);
        assertThat(events).extracting(MeshEvent::type).contains(MeshEvent.Type.PROXY_CONNECTED);
    }

    @Test
    void anAppliedSplitReachesTheSidecarsAndAnInvalidOneChangesNothing() throws Exception {
        ControllerServer server = start();
        SimulatedProxy productpage = connect(server, "productpage", "v1", 9080, SimulatedProxy.Reviewer.ACCEPT_ALL);
        await().atMost(WAIT).until(() -> !productpage.accepted(Resources.V3.ROUTE_TYPE_URL).isEmpty());
        String routesBefore = productpage.accepted(Resources.V3.ROUTE_TYPE_URL);

        ApplyResult applied = server.controlPlane().apply(
                List.of(new SourceFile("reviews-80-20.yaml", fixture("virtual-service-reviews-80-20.yaml"))), false, false);

        assertThat(applied.applied()).isTrue();
        assertThat(applied.revision()).isEqualTo(2);
        await().atMost(WAIT).until(() -> !productpage.accepted(Resources.V3.ROUTE_TYPE_URL).equals(routesBefore));
        assertThat(routeText(productpage)).contains("outbound|80|v2|reviews.default.svc.cluster.local");
        assertThat(events).extracting(MeshEvent::type).contains(MeshEvent.Type.CONFIG_APPLIED);
        String routesAfter = productpage.accepted(Resources.V3.ROUTE_TYPE_URL);

        ApplyResult refused = server.controlPlane().apply(List.of(new SourceFile("bad.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: reviews
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews, subset: v9}
                """)), false, false);

        assertThat(refused.applied()).isFalse();
        assertThat(refused.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("bad.yaml");
            assertThat(e.field()).isEqualTo("spec.http[0].route[0].destination.subset");
            assertThat(e.line()).isEqualTo(9);
        });
        assertThat(server.revision()).isEqualTo(2);
        assertThat(server.controlPlane().revisions()).hasSize(2);
        assertThat(productpage.accepted(Resources.V3.ROUTE_TYPE_URL)).isEqualTo(routesAfter);
    }

    @Test
    void anAppliedWarmupReachesTheSidecarsAsSlowStartAndABadOneChangesNothing() throws Exception {
        ControllerServer server = start();
        SimulatedProxy productpage = connect(server, "productpage", "v1", 9080, SimulatedProxy.Reviewer.ACCEPT_ALL);
        String reviews = "outbound|80||reviews.default.svc.cluster.local";
        await().atMost(WAIT).until(() -> clusterNames(productpage).contains(reviews));

        ApplyResult applied = server.controlPlane().apply(List.of(new SourceFile("reviews-warmup.yaml",
                reviewsRuleWithLoadBalancer("{warmup: {duration: 60s, minimumPercent: 20}}"))), false, false);

        assertThat(applied.applied()).isTrue();
        await().atMost(WAIT).until(() -> cluster(productpage, reviews).getRoundRobinLbConfig().hasSlowStartConfig());
        Cluster.SlowStartConfig slowStart = cluster(productpage, reviews).getRoundRobinLbConfig().getSlowStartConfig();
        assertThat(slowStart.getSlowStartWindow().getSeconds()).isEqualTo(60);
        assertThat(slowStart.getMinWeightPercent().getValue()).isEqualTo(20.0);
        String clustersAfter = productpage.accepted(Resources.V3.CLUSTER_TYPE_URL);

        ApplyResult refused = server.controlPlane().apply(List.of(new SourceFile("bad.yaml",
                reviewsRuleWithLoadBalancer("{warmup: {duration: 60s, minimumPercent: 120}}"))), false, false);

        assertThat(refused.applied()).isFalse();
        assertThat(refused.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("bad.yaml");
            assertThat(e.field()).isEqualTo("spec.trafficPolicy.loadBalancer.warmup.minimumPercent");
            assertThat(e.line()).isEqualTo(8);
            assertThat(e.message()).isEqualTo("120 (expected: 0..100)");
        });
        assertThat(server.revision()).isEqualTo(2);
        assertThat(productpage.accepted(Resources.V3.CLUSTER_TYPE_URL)).isEqualTo(clustersAfter);
    }

    @Test
    void aDryRunShowsTheDiffAndChangesNothing() throws Exception {
        ControllerServer server = start();

        ApplyResult dry = server.controlPlane().apply(
                List.of(new SourceFile("reviews-80-20.yaml", fixture("virtual-service-reviews-80-20.yaml"))), true, false);

        assertThat(dry.valid()).isTrue();
        assertThat(dry.applied()).isFalse();
        assertThat(dry.diff()).contains("+      weight: 80", "+      weight: 20");
        assertThat(server.controlPlane().revisions()).hasSize(1);
    }

    @Test
    void aRollbackIsANewRevisionWithTheOldContentAndSurvivesARestart() throws Exception {
        ControllerServer server = start();
        server.controlPlane().apply(
                List.of(new SourceFile("reviews-80-20.yaml", fixture("virtual-service-reviews-80-20.yaml"))), false, false);

        ApplyResult rolledBack = server.controlPlane().rollback(1);

        assertThat(rolledBack.applied()).isTrue();
        assertThat(rolledBack.revision()).isEqualTo(3);
        assertThat(server.controlPlane().diff(1, 3)).isEmpty();
        assertThat(events).extracting(MeshEvent::type).contains(MeshEvent.Type.CONFIG_ROLLED_BACK);
        assertThatThrownBy(() -> server.controlPlane().rollback(42)).hasMessageContaining("42");

        server.close();
        toClose.remove(server);
        ControllerServer again = startWith(Optional.empty());
        assertThat(again.revision()).isEqualTo(3);
        assertThat(again.controlPlane().config(Optional.of(Kind.VIRTUAL_SERVICE))).hasSize(4);
        assertThat(again.controlPlane().config(Optional.of(Kind.VIRTUAL_SERVICE)).toString()).doesNotContain("weight");
    }

    @Test
    void aRestartedControllerKeepsTheEndpointsOfSidecarsThatHaveNotReconnectedYet() throws Exception {
        ControllerServer server = start();
        connect(server, "productpage", "v1", 9080, SimulatedProxy.Reviewer.ACCEPT_ALL);
        connect(server, "reviews", "v2", 9082, SimulatedProxy.Reviewer.ACCEPT_ALL);
        await().atMost(WAIT).until(() -> server.controlPlane().proxies().size() == 2);
        server.close();
        toClose.remove(server);
        assertThat(Files.readString(tmp.resolve("workspace").resolve("proxies.json")))
                .contains(SimulatedSidecars.nodeId("reviews", "v2"));

        ControllerServer again = startWith(Optional.empty());
        SimulatedProxy productpage = connect(again, "productpage", "v1", 9080, SimulatedProxy.Reviewer.ACCEPT_ALL);

        await().atMost(WAIT).until(() -> endpointsOf(productpage, "outbound|80|v2|reviews.default.svc.cluster.local")
                .contains("127.0.0.1:9082"));
        assertThat(again.controlPlane().proxies())
                .filteredOn(p -> p.nodeId().equals(SimulatedSidecars.nodeId("reviews", "v2")))
                .singleElement().satisfies(p -> assertThat(p.connected()).isFalse());
    }

    @Test
    void aControllerWithAnUnreadableRegistryFileStartsWithAnEmptyRegistry() throws Exception {
        start().close();
        toClose.clear();
        Files.writeString(tmp.resolve("workspace").resolve("proxies.json"), "not json");

        ControllerServer server = startWith(Optional.empty());

        assertThat(server.controlPlane().proxies()).isEmpty();
        assertThat(server.revision()).isEqualTo(1);
    }

    @Test
    void aNackIsReportedWithItsReason() throws Exception {
        ControllerServer server = start();
        connect(server, "ratings", "v1", 9083, response ->
                response.getTypeUrl().equals(Resources.V3.ROUTE_TYPE_URL)
                        ? Optional.of("route rejected by the test") : Optional.empty());

        await().atMost(WAIT).until(() -> server.controlPlane().proxies().stream()
                .anyMatch(p -> p.overall() == SyncState.NACKED));
        ProxyStatus status = server.controlPlane().proxies().get(0);
        assertThat(status.types().get("RDS").nack()).contains("route rejected by the test");
        await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.type() == MeshEvent.Type.NACK_RECEIVED));
        assertThat(server.controlPlane().status().nackedProxies()).isEqualTo(1);
    }

    @Test
    void anInvalidStartupConfigStopsTheStartAndNamesTheError() throws Exception {
        Files.writeString(configDir.resolve("zz-bad.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: broken
                spec:
                  hosts: [reviews]
                  http:
                  - timeout: -1s
                    route:
                    - destination: {host: reviews}
                """);

        assertThatThrownBy(this::start)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zz-bad.yaml:8")
                .hasMessageContaining("spec.http[0].timeout");
        // The workspace was released: a controller can start on it again.
        Files.delete(configDir.resolve("zz-bad.yaml"));
        assertThat(start().revision()).isEqualTo(1);
    }

    private ControllerServer start() throws IOException {
        return startWith(Optional.of(configDir));
    }

    private ControllerServer startWith(Optional<Path> config) throws IOException {
        ControllerServer server = ControllerServer.start(new ControllerServer.Settings(config,
                HostPort.parse("127.0.0.1:0"), Optional.empty(), tmp.resolve("workspace"), false, Duration.ofSeconds(5)));
        toClose.add(server);
        toClose.add(server.controlPlane().subscribe(events::add));
        return server;
    }

    private SimulatedProxy connect(ControllerServer server, String service, String version, int port,
                                   SimulatedProxy.Reviewer reviewer) {
        SimulatedSidecars sidecars = new SimulatedSidecars(server.xdsPort());
        toClose.add(sidecars);
        return sidecars.connect(service, version, port, reviewer);
    }

    private static List<String> clusterNames(SimulatedProxy proxy) throws InvalidProtocolBufferException {
        List<String> names = new ArrayList<>();
        for (var any : last(proxy, Resources.V3.CLUSTER_TYPE_URL).getResourcesList()) {
            names.add(any.unpack(Cluster.class).getName());
        }
        return names;
    }

    private static Cluster cluster(SimulatedProxy proxy, String name) throws InvalidProtocolBufferException {
        for (var any : last(proxy, Resources.V3.CLUSTER_TYPE_URL).getResourcesList()) {
            Cluster c = any.unpack(Cluster.class);
            if (c.getName().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no cluster " + name);
    }

    /**
     * The reviews rule of Istio's {@code destination-rule-all.yaml} (subsets v1..v3) with a traffic policy whose
     * {@code loadBalancer} (at line 8) is {@code loadBalancer}.
     */
    private static String reviewsRuleWithLoadBalancer(String loadBalancer) throws IOException {
        String reviews = Arrays.stream(fixture("destination-rule-all.yaml").split("---\n"))
                .filter(document -> document.contains("\n  host: reviews\n")).findFirst().orElseThrow();
        return reviews.replace("\n  host: reviews\n",
                "\n  host: reviews\n  trafficPolicy:\n    loadBalancer: " + loadBalancer + "\n");
    }

    private static String endpointsOf(SimulatedProxy proxy, String cluster) throws InvalidProtocolBufferException {
        DiscoveryResponse eds = proxy.lastReceived(Resources.V3.ENDPOINT_TYPE_URL).orElse(null);
        if (eds == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (var any : eds.getResourcesList()) {
            ClusterLoadAssignment cla = any.unpack(ClusterLoadAssignment.class);
            if (cla.getClusterName().equals(cluster)) {
                cla.getEndpointsList().forEach(l -> l.getLbEndpointsList().forEach(e -> {
                    var a = e.getEndpoint().getAddress().getSocketAddress();
                    b.append(a.getAddress()).append(':').append(a.getPortValue()).append(' ');
                }));
            }
        }
        return b.toString();
    }

    private static String routeText(SimulatedProxy proxy) throws InvalidProtocolBufferException {
        StringBuilder b = new StringBuilder();
        for (var any : last(proxy, Resources.V3.ROUTE_TYPE_URL).getResourcesList()) {
            b.append(any.unpack(RouteConfiguration.class));
        }
        return b.toString();
    }

    private static DiscoveryResponse last(SimulatedProxy proxy, String type) {
        return proxy.lastReceived(type).orElseThrow(() -> new AssertionError("nothing received of " + type));
    }


    private static String fixture(String name) throws IOException {
        try (var in = ControllerServerTest.class.getResourceAsStream("/fixtures/istio-bookinfo/" + name)) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
