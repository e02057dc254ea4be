package dev.meshdeck.controller.bench;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.meshdeck.controller.registry.ProxyInfo;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic mesh for load tests, shaped like the translator's output (Istio naming): {@code services}
 * services with subsets v1 and v2, each an EDS cluster whose endpoints are the sidecars of that service and
 * version; one outbound route config splitting every service between its subsets; per proxy an outbound
 * listener. Shared resources are built once; {@link #snapshotFor} adds the proxy's own listener.
 */
public final class BenchMesh {
    private final List<Cluster> clusters = new ArrayList<>();
    private final List<ClusterLoadAssignment> endpoints = new ArrayList<>();
    private final List<RouteConfiguration> routes;
    private final String routeVersion;

    /**
     * @param services  how many services
     * @param proxies   how many sidecars, spread over the services and their two versions
     * @param weightV1  the share of every service's traffic that goes to v1 (0..100)
     */
    public BenchMesh(int services, int proxies, int weightV1) {
        if (weightV1 < 0 || weightV1 > 100) {
            throw new IllegalArgumentException("weightV1: " + weightV1 + " (expected: 0..100)");
        }
        RouteConfiguration.Builder outbound = RouteConfiguration.newBuilder().setName("outbound");
        for (int s = 0; s < services; s++) {
            String host = host(s);
            for (String subset : List.of("v1", "v2")) {
                String name = "outbound|80|" + subset + "|" + host;
                clusters.add(Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
                        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ads()))
                        .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN).build());
                LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder()
                        .setLoadBalancingWeight(UInt32Value.of(1));
                int version = subset.equals("v1") ? 0 : 1;
                for (int p = 0; p < proxies; p++) {
                    if (p % services == s && (p / services) % 2 == version) {
                        locality.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
                                .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                                        .setAddress("127.0.0.1").setPortValue(20000 + p)))));
                    }
                }
                endpoints.add(ClusterLoadAssignment.newBuilder().setClusterName(name).addEndpoints(locality).build());
            }
            outbound.addVirtualHosts(VirtualHost.newBuilder().setName(host + ":80").addDomains(host)
                    .addDomains("svc-" + s)
                    .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                            .setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()
                                    .addClusters(WeightedCluster.ClusterWeight.newBuilder()
                                            .setName("outbound|80|v1|" + host).setWeight(UInt32Value.of(weightV1)))
                                    .addClusters(WeightedCluster.ClusterWeight.newBuilder()
                                            .setName("outbound|80|v2|" + host)
                                            .setWeight(UInt32Value.of(100 - weightV1)))))));
        }
        routes = List.of(outbound.build());
        routeVersion = Integer.toHexString(routes.hashCode());
    }

    /** The service hosts' fully qualified name. */
    public static String host(int service) {
        return "svc-" + service + ".default.svc.cluster.local";
    }

    /** The version of the route config, which changes with the weights. */
    public String routeVersion() {
        return routeVersion;
    }

    /** The snapshot of one proxy: the shared clusters, endpoints and routes, and its outbound listener. */
    public Snapshot snapshotFor(ProxyInfo proxy) {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder().setStatPrefix("outbound")
                .setRds(Rds.newBuilder().setConfigSource(ads()).setRouteConfigName("outbound"))
                .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
                        .setTypedConfig(Any.pack(Router.getDefaultInstance())))
                .build();
        Listener listener = Listener.newBuilder().setName("outbound")
                .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                        .setAddress("127.0.0.1").setPortValue(proxy.outboundPort())))
                .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager").setTypedConfig(Any.pack(hcm))))
                .build();
        return Snapshot.create(clusters, "c1", endpoints, "e1", List.of(listener), "l" + proxy.outboundPort(),
                routes, routeVersion, List.of(), "");
    }

    private static ConfigSource ads() {
        return ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3).build();
    }
}
