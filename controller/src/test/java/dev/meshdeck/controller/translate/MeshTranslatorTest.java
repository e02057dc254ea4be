package dev.meshdeck.controller.translate;

import static dev.meshdeck.controller.fixtures.MeshFixtures.dest;
import static dev.meshdeck.controller.fixtures.MeshFixtures.routeTo;
import static dev.meshdeck.controller.fixtures.MeshFixtures.rule;
import static dev.meshdeck.controller.fixtures.MeshFixtures.sidecar;
import static dev.meshdeck.controller.fixtures.MeshFixtures.subset;
import static dev.meshdeck.controller.fixtures.MeshFixtures.versions;
import static dev.meshdeck.controller.fixtures.MeshFixtures.virtualService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import dev.meshdeck.controller.config.DestinationRule;
import dev.meshdeck.controller.config.DestinationRule.LoadBalancer;
import dev.meshdeck.controller.config.DestinationRule.TrafficPolicy;
import dev.meshdeck.controller.config.DestinationRule.Warmup;
import dev.meshdeck.controller.config.MeshConfig;
import dev.meshdeck.controller.config.MeshResource;
import dev.meshdeck.controller.config.ServiceEntry;
import dev.meshdeck.controller.config.VirtualService;
import dev.meshdeck.controller.fixtures.Bookinfo;
import dev.meshdeck.controller.fixtures.MeshFixtures;
import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.registry.ProxyType;
import dev.meshdeck.controller.registry.RegistryState;
import dev.meshdeck.controller.translate.internal.HashedResources;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.RuntimeDouble;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.v3.Percent;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MeshTranslatorTest {
    private final MeshTranslator translator = new MeshTranslator();

    private static List<MeshResource> bookinfoRules() {
        return List.of(
                rule("reviews", "reviews", null, versions(3)),
                rule("ratings", "ratings", null, versions(1)),
                virtualService("reviews", List.of("reviews"),
                        routeTo(dest("reviews", "v1", 50), dest("reviews", "v3", 50))),
                virtualService("ratings", List.of("ratings"), routeTo(dest("ratings", "v1", null))));
    }

    @Test
    void translatingTwiceGivesByteIdenticalResourcesAndEqualVersions() {
        MeshConfig config = new MeshConfig(bookinfoRules());
        TranslatedMesh first = translator.translate(config, Bookinfo.registry());
        TranslatedMesh second = translator.translate(config, Bookinfo.registry());

        for (ProxyInfo p : allProxies()) {
            assertThat(bytes(second.resourcesFor(p))).isEqualTo(bytes(first.resourcesFor(p)));
            assertThat(typeVersions(second.snapshotFor(p))).isEqualTo(typeVersions(first.snapshotFor(p)));
        }
    }

    @Test
    void theOrderOfDocumentsAndProxiesDoesNotChangeTheOutput() {
        List<MeshResource> reversedRules = new ArrayList<>(bookinfoRules());
        Collections.reverse(reversedRules);
        List<ProxyInfo> reversedProxies = new ArrayList<>(Bookinfo.SIDECARS);
        Collections.reverse(reversedProxies);

        TranslatedMesh a = translator.translate(new MeshConfig(bookinfoRules()), Bookinfo.registry());
        TranslatedMesh b = translator.translate(new MeshConfig(reversedRules), new RegistryState(reversedProxies));

        for (ProxyInfo p : allProxies()) {
            assertThat(bytes(b.resourcesFor(p))).isEqualTo(bytes(a.resourcesFor(p)));
            assertThat(typeVersions(b.snapshotFor(p))).isEqualTo(typeVersions(a.snapshotFor(p)));
        }
    }

    @Test
    void anEndpointOnlyChangeChangesOnlyTheEndpointsVersion() {
        MeshConfig config = new MeshConfig(bookinfoRules());
        List<ProxyInfo> scaledUp = new ArrayList<>(Bookinfo.SIDECARS);
        scaledUp.add(sidecar("reviews", "v3", "10.0.0.24"));

        Map<ResourceType, String> before = typeVersions(translator.translate(config, Bookinfo.registry())
                .snapshotFor(Bookinfo.PRODUCTPAGE));
        Map<ResourceType, String> after = typeVersions(translator.translate(config, new RegistryState(scaledUp))
                .snapshotFor(Bookinfo.PRODUCTPAGE));

        assertThat(after.get(ResourceType.ENDPOINT)).isNotEqualTo(before.get(ResourceType.ENDPOINT));
        assertThat(after.get(ResourceType.CLUSTER)).isEqualTo(before.get(ResourceType.CLUSTER));
        assertThat(after.get(ResourceType.ROUTE)).isEqualTo(before.get(ResourceType.ROUTE));
        assertThat(after.get(ResourceType.LISTENER)).isEqualTo(before.get(ResourceType.LISTENER));
    }

    @Test
    void aRouteChangeChangesOnlyTheRoutesVersion() {
        Map<ResourceType, String> before = typeVersions(translator.translate(new MeshConfig(bookinfoRules()),
                Bookinfo.registry()).snapshotFor(Bookinfo.PRODUCTPAGE));
        List<MeshResource> shifted = new ArrayList<>(bookinfoRules());
        shifted.set(2, virtualService("reviews", List.of("reviews"),
                routeTo(dest("reviews", "v1", 10), dest("reviews", "v3", 90))));
        Map<ResourceType, String> after = typeVersions(translator.translate(new MeshConfig(shifted),
                Bookinfo.registry()).snapshotFor(Bookinfo.PRODUCTPAGE));

        assertThat(after.get(ResourceType.ROUTE)).isNotEqualTo(before.get(ResourceType.ROUTE));
        assertThat(after.get(ResourceType.CLUSTER)).isEqualTo(before.get(ResourceType.CLUSTER));
        assertThat(after.get(ResourceType.ENDPOINT)).isEqualTo(before.get(ResourceType.ENDPOINT));
    }

    @Test
    void subsetClustersGetOnlyTheEndpointsWithTheSubsetsLabels() {
        ProxyInfo canary = new ProxyInfo("sidecar~10.0.0.30~reviews-v2-canary.default", ProxyType.SIDECAR, "reviews",
                "default", Map.of("app", "reviews", "version", "v2", "track", "canary"), "10.0.0.30", 15006, 15001,
                9080, null);
        List<ProxyInfo> proxies = new ArrayList<>(Bookinfo.SIDECARS);
        proxies.add(canary);
        MeshConfig config = new MeshConfig(List.of(rule("reviews", "reviews", null,
                subset("v2", Map.of("version", "v2")),
                subset("v2-canary", Map.of("version", "v2", "track", "canary")),
                subset("v9", Map.of("version", "v9")))));

        ProxyResources r = translator.translate(config, new RegistryState(proxies)).resourcesFor(Bookinfo.PRODUCTPAGE);

        assertThat(addresses(r, "outbound|80|v2|reviews.default.svc.cluster.local")).containsExactly("10.0.0.13", "10.0.0.30");
        assertThat(addresses(r, "outbound|80|v2-canary|reviews.default.svc.cluster.local")).containsExactly("10.0.0.30");
        assertThat(addresses(r, "outbound|80|v9|reviews.default.svc.cluster.local")).isEmpty();
        assertThat(addresses(r, "outbound|80||reviews.default.svc.cluster.local"))
                .containsExactly("10.0.0.12", "10.0.0.13", "10.0.0.14", "10.0.0.30");
    }

    @Test
    void configForHostsWithoutWorkloadsStillGetsClustersAndEmptyEndpoints() {
        MeshConfig config = new MeshConfig(List.of(
                rule("payments", "payments.billing", null, versions(2)),
                virtualService("checkout", List.of("checkout"), routeTo(dest("payments.billing", "v1", null)))));

        ProxyResources r = translator.translate(config, RegistryState.EMPTY).resourcesFor(Bookinfo.PRODUCTPAGE);

        assertThat(names(r.clusters())).contains(
                "outbound|80||payments.billing.svc.cluster.local",
                "outbound|80|v1|payments.billing.svc.cluster.local",
                "outbound|80|v2|payments.billing.svc.cluster.local",
                "outbound|80||checkout.default.svc.cluster.local");
        assertThat(addresses(r, "outbound|80|v1|payments.billing.svc.cluster.local")).isEmpty();
        assertThat(virtualHost(r, "checkout.default.svc.cluster.local").getRoutes(0).getRoute().getCluster())
                .isEqualTo("outbound|80|v1|payments.billing.svc.cluster.local");
    }

    @Test
    void aShortHostNamesTheServiceInTheClientsOwnNamespace() {
        ProxyInfo prodClient = new ProxyInfo("sidecar~10.0.1.1~web.prod", ProxyType.SIDECAR, "web", "prod", Map.of(),
                "10.0.1.1", 15006, 15001, 8080, null);
        ProxyInfo prodReviews = new ProxyInfo("sidecar~10.0.1.2~reviews.prod", ProxyType.SIDECAR, "reviews", "prod",
                Map.of(), "10.0.1.2", 15006, 15001, 9080, null);
        List<ProxyInfo> proxies = new ArrayList<>(Bookinfo.SIDECARS);
        proxies.add(prodClient);
        proxies.add(prodReviews);
        TranslatedMesh mesh = translator.translate(MeshConfig.EMPTY, new RegistryState(proxies));

        assertThat(virtualHost(mesh.resourcesFor(prodClient), "reviews.prod.svc.cluster.local").getDomainsList())
                .contains("reviews", "reviews:80", "reviews.prod");
        assertThat(virtualHost(mesh.resourcesFor(prodClient), "reviews.default.svc.cluster.local").getDomainsList())
                .doesNotContain("reviews").contains("reviews.default");
        assertThat(virtualHost(mesh.resourcesFor(Bookinfo.PRODUCTPAGE), "reviews.default.svc.cluster.local")
                .getDomainsList()).contains("reviews");
    }

    /**
     * Every route config a listener names, every cluster a route names and every EDS cluster's endpoints
     * are in the proxy's snapshot. (java-control-plane's own {@code ensureConsistent} looks for the HTTP
     * connection manager under its legacy name {@code envoy.http_connection_manager} and so finds no
     * route references in listeners that use the current name.)
     */
    @Test
    void everyResourceAProxyIsToldAboutIsInItsSnapshot() throws Exception {
        TranslatedMesh mesh = translator.translate(new MeshConfig(bookinfoRules()), Bookinfo.registry());
        for (ProxyInfo p : allProxies()) {
            Snapshot s = mesh.snapshotFor(p);
            List<String> routeNames = new ArrayList<>();
            for (var l : mesh.resourcesFor(p).listeners()) {
                var any = l.hasApiListener() ? l.getApiListener().getApiListener()
                        : l.getFilterChains(0).getFilters(0).getTypedConfig();
                routeNames.add(any.unpack(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3
                        .HttpConnectionManager.class).getRds().getRouteConfigName());
            }
            assertThat(s.resources(ResourceType.ROUTE).keySet()).containsAll(routeNames);
            List<String> clusterNames = new ArrayList<>();
            for (var rc : mesh.resourcesFor(p).routes()) {
                rc.getVirtualHostsList().forEach(vh -> vh.getRoutesList().forEach(route -> {
                    clusterNames.add(route.getRoute().getCluster());
                    route.getRoute().getWeightedClusters().getClustersList().forEach(w -> clusterNames.add(w.getName()));
                }));
            }
            clusterNames.removeIf(String::isEmpty);
            assertThat(s.resources(ResourceType.CLUSTER).keySet()).containsAll(clusterNames);
            List<String> edsNames = mesh.resourcesFor(p).clusters().stream()
                    .filter(c -> c.getType() == Cluster.DiscoveryType.EDS)
                    .map(c -> c.getEdsClusterConfig().getServiceName())
                    .toList();
            assertThat(s.resources(ResourceType.ENDPOINT).keySet()).containsAll(edsNames);
            assertThat(s.resources(ResourceType.CLUSTER)).hasSameSizeAs(mesh.resourcesFor(p).clusters());
            for (var c : mesh.resourcesFor(p).clusters()) {
                assertThat(s.versionedResources(ResourceType.CLUSTER).get(c.getName()).version())
                        .isEqualTo(HashedResources.hash(c));
            }
        }
    }

    @Test
    void snapshotVersionsAreContentHashesOfSixteenHexDigits() {
        Snapshot s = translator.translate(MeshConfig.EMPTY, Bookinfo.registry()).snapshotFor(Bookinfo.PRODUCTPAGE);
        for (ResourceType t : List.of(ResourceType.LISTENER, ResourceType.ROUTE, ResourceType.CLUSTER,
                ResourceType.ENDPOINT, ResourceType.SECRET)) {
            assertThat(s.version(t)).matches("[0-9a-f]{16}");
        }
    }

    @Test
    void aSidecarWithoutAnAppGetsOnlyTheOutboundListener() {
        ProxyInfo client = new ProxyInfo("sidecar~127.0.0.1~loadgen.default", ProxyType.SIDECAR, "", "default",
                Map.of(), null, 15006, 15001, 0, null);

        ProxyResources r = translator.translate(MeshConfig.EMPTY, Bookinfo.registry()).resourcesFor(client);

        assertThat(names(r.listeners())).containsExactly("outbound");
        assertThat(names(r.routes())).containsExactly("outbound");
        assertThat(names(r.clusters())).noneMatch(n -> n.startsWith("inbound"));
    }

    @Test
    void aDnsServiceEntryIsResolvedByEnvoyAndByGrpcAsOneLogicalName() {
        MeshConfig config = new MeshConfig(List.of(MeshFixtures.serviceEntry("apis", List.of("api.example.com"),
                List.of(new ServiceEntry.Port(443, "HTTPS", "https", null)), ServiceEntry.Location.MESH_EXTERNAL,
                ServiceEntry.Resolution.DNS, List.of(), Map.of())));
        TranslatedMesh mesh = translator.translate(config, Bookinfo.registry());

        Cluster envoy = cluster(mesh.resourcesFor(Bookinfo.PRODUCTPAGE), "outbound|443||api.example.com");
        Cluster grpc = cluster(mesh.resourcesFor(MeshFixtures.grpcClient("c", "default")), "outbound|443||api.example.com");

        assertThat(envoy.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
        assertThat(grpc.getType()).isEqualTo(Cluster.DiscoveryType.LOGICAL_DNS);
        assertThat(envoy.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
                .getSocketAddress().getAddress()).isEqualTo("api.example.com");
        assertThat(names(mesh.resourcesFor(Bookinfo.PRODUCTPAGE).endpoints())).doesNotContain("outbound|443||api.example.com");
    }

    @Test
    void aProxylessGrpcClientGetsAnApiListenerPerNameAndPort() {
        ProxyResources r = translator.translate(MeshConfig.EMPTY, Bookinfo.registry())
                .resourcesFor(MeshFixtures.grpcClient("loadgen", "default"));

        assertThat(names(r.listeners())).contains("reviews", "reviews:80", "reviews.default.svc.cluster.local:80")
                .hasSize(4 * 4 * 2);
        assertThat(r.listeners()).allMatch(l -> l.hasApiListener());
        assertThat(r.endpoints()).allMatch(cla -> cla.getEndpointsList().stream().allMatch(l -> l.getLoadBalancingWeight().getValue() > 0));
    }

    @Test
    void aProxylessGrpcClientsApiListenersRunTheFaultFilterBeforeTheRouter() throws Exception {
        ProxyResources r = translator.translate(MeshConfig.EMPTY, Bookinfo.registry())
                .resourcesFor(MeshFixtures.grpcClient("loadgen", "default"));

        for (var listener : r.listeners()) {
            HttpConnectionManager hcm = listener.getApiListener().getApiListener().unpack(HttpConnectionManager.class);
            assertThat(hcm.getHttpFiltersList()).as(listener.getName()).extracting(HttpFilter::getName)
                    .containsExactly(XdsNames.FAULT_FILTER, XdsNames.ROUTER_FILTER);
        }
    }

    @Test
    void aRouteWithoutDestinationOrRedirectIsRefusedNamingTheRoute() {
        MeshConfig config = new MeshConfig(List.of(virtualService("reviews", List.of("reviews"),
                new VirtualService.HttpRoute(null, List.of(), List.of(), null, null, null, null, null, List.of(), null))));

        assertThatThrownBy(() -> translator.translate(config, Bookinfo.registry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VirtualService default/reviews: http[0]")
                .hasMessageContaining("expected: at least one route destination");
    }

    // --- load balancer warm-up ------------------------------------------------------------------------------------

    private static final String REVIEWS = "outbound|80||reviews.default.svc.cluster.local";

    /** The clusters productpage gets for a reviews rule with {@code policy} and subsets v1..v3. */
    private ProxyResources withReviewsPolicy(TrafficPolicy policy, DestinationRule.Subset... subsets) {
        MeshConfig config = new MeshConfig(List.of(rule("reviews", "reviews", policy,
                subsets.length == 0 ? versions(3) : subsets)));
        return translator.translate(config, Bookinfo.registry()).resourcesFor(Bookinfo.PRODUCTPAGE);
    }

    private static TrafficPolicy warmedUp(LoadBalancer.Simple simple, Warmup warmup) {
        return new TrafficPolicy(new LoadBalancer(simple, null, warmup), null, null, null);
    }

    @Test
    void aRoundRobinWarmupIsSentAsEnvoysSlowStartWithEveryFieldWritten() {
        Cluster c = cluster(withReviewsPolicy(warmedUp(LoadBalancer.Simple.ROUND_ROBIN,
                new Warmup(Duration.ofSeconds(90), 25, 2.0))), REVIEWS);

        assertThat(c.getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
        assertThat(c.getLbConfigCase()).isEqualTo(Cluster.LbConfigCase.ROUND_ROBIN_LB_CONFIG);
        assertThat(c.getRoundRobinLbConfig().getSlowStartConfig()).isEqualTo(Cluster.SlowStartConfig.newBuilder()
                .setSlowStartWindow(com.google.protobuf.Duration.newBuilder().setSeconds(90))
                .setAggression(RuntimeDouble.newBuilder().setDefaultValue(2.0).setRuntimeKey("meshdeck.warmup.aggression"))
                .setMinWeightPercent(Percent.newBuilder().setValue(25))
                .build());
    }

    @Test
    void aLeastRequestWarmupIsSentInTheLeastRequestConfigWithIstiosDefaults() {
        Cluster c = cluster(withReviewsPolicy(warmedUp(LoadBalancer.Simple.LEAST_REQUEST,
                Warmup.of(Duration.ofMillis(1500)))), REVIEWS);

        assertThat(c.getLbPolicy()).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
        Cluster.SlowStartConfig slowStart = c.getLeastRequestLbConfig().getSlowStartConfig();
        assertThat(slowStart.getSlowStartWindow()).isEqualTo(com.google.protobuf.Duration.newBuilder()
                .setSeconds(1).setNanos(500_000_000).build());
        assertThat(slowStart.getAggression().getDefaultValue()).isEqualTo(1.0);
        assertThat(slowStart.getAggression().getRuntimeKey()).isEqualTo("meshdeck.warmup.aggression");
        assertThat(slowStart.hasMinWeightPercent()).isTrue();
        assertThat(slowStart.getMinWeightPercent().getValue()).isEqualTo(10.0);
    }

    @Test
    void aWarmupAloneWarmsUpTheDefaultRoundRobin() {
        for (LoadBalancer.Simple simple : new LoadBalancer.Simple[] {null, LoadBalancer.Simple.UNSPECIFIED}) {
            Cluster c = cluster(withReviewsPolicy(warmedUp(simple, Warmup.of(Duration.ofSeconds(30)))), REVIEWS);

            assertThat(c.getLbPolicy()).as("simple %s", simple).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
            assertThat(c.getRoundRobinLbConfig().getSlowStartConfig().getSlowStartWindow().getSeconds())
                    .as("simple %s", simple).isEqualTo(30);
        }
    }

    @Test
    void aSubsetsLoadBalancerWithoutWarmupReplacesTheRulesOneWithItsWarmup() {
        ProxyResources r = withReviewsPolicy(warmedUp(LoadBalancer.Simple.ROUND_ROBIN, Warmup.of(Duration.ofSeconds(60))),
                new DestinationRule.Subset("v1", Map.of("version", "v1"), MeshFixtures.lb(LoadBalancer.Simple.LEAST_REQUEST)),
                subset("v2", Map.of("version", "v2")));

        Cluster v1 = cluster(r, "outbound|80|v1|reviews.default.svc.cluster.local");
        assertThat(v1.getLbPolicy()).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
        assertThat(v1.getLbConfigCase()).isEqualTo(Cluster.LbConfigCase.LBCONFIG_NOT_SET);
        Cluster v2 = cluster(r, "outbound|80|v2|reviews.default.svc.cluster.local");
        assertThat(v2.getRoundRobinLbConfig().hasSlowStartConfig()).isTrue();
        assertThat(cluster(r, REVIEWS).getRoundRobinLbConfig().hasSlowStartConfig()).isTrue();
    }

    @Test
    void aProxylessGrpcClientGetsNoSlowStart() {
        MeshConfig config = new MeshConfig(List.of(rule("reviews", "reviews",
                warmedUp(LoadBalancer.Simple.LEAST_REQUEST, Warmup.of(Duration.ofSeconds(60))), versions(3))));

        Cluster c = cluster(translator.translate(config, Bookinfo.registry())
                .resourcesFor(MeshFixtures.grpcClient("loadgen", "default")), REVIEWS);

        assertThat(c.getLbPolicy()).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
        assertThat(c.getLbConfigCase()).isEqualTo(Cluster.LbConfigCase.LBCONFIG_NOT_SET);
    }

    private static List<ProxyInfo> allProxies() {
        return Stream.concat(Bookinfo.SIDECARS.stream(), Stream.of(MeshFixtures.grpcClient("loadgen", "default"))).toList();
    }

    private static byte[] bytes(ProxyResources r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Stream.of(r.listeners(), r.routes(), r.clusters(), r.endpoints())
                .flatMap(List::stream)
                .map(m -> HashedResources.deterministicBytes((Message) m))
                .forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static Map<ResourceType, String> typeVersions(Snapshot s) {
        return Map.of(ResourceType.LISTENER, s.version(ResourceType.LISTENER),
                ResourceType.ROUTE, s.version(ResourceType.ROUTE),
                ResourceType.CLUSTER, s.version(ResourceType.CLUSTER),
                ResourceType.ENDPOINT, s.version(ResourceType.ENDPOINT),
                ResourceType.SECRET, s.version(ResourceType.SECRET));
    }

    private static List<String> names(List<? extends Message> resources) {
        return resources.stream().map(io.envoyproxy.controlplane.cache.Resources::getResourceName).toList();
    }

    private static List<String> addresses(ProxyResources r, String cluster) {
        ClusterLoadAssignment cla = r.endpoints().stream().filter(c -> c.getClusterName().equals(cluster)).findFirst()
                .orElseThrow(() -> new AssertionError("no endpoints for " + cluster));
        return cla.getEndpointsList().stream()
                .flatMap(l -> l.getLbEndpointsList().stream())
                .map(LbEndpoint::getEndpoint)
                .map(e -> e.getAddress().getSocketAddress().getAddress())
                .toList();
    }

    private static Cluster cluster(ProxyResources r, String name) {
        return r.clusters().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no cluster " + name));
    }

    private static VirtualHost virtualHost(ProxyResources r, String name) {
        RouteConfiguration outbound = r.routes().stream().filter(rc -> rc.getName().equals("outbound")).findFirst()
                .orElseThrow();
        return outbound.getVirtualHostsList().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no virtual host " + name));
    }
}
