package dev.meshdeck.controller.testing;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
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
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A hand-built xDS snapshot for one service, {@code greeter}, split by weight between two EDS clusters
 * ({@code greeter-a}, {@code greeter-b}) of one endpoint each: the shape a proxyless gRPC client resolves
 * for {@code xds:///greeter}. Versions are per type and follow the content, so a weight change re-sends
 * only RDS.
 */
public final class GreeterMesh {
    public static final String LISTENER = "greeter";
    public static final String ROUTE = "greeter-route";
    public static final String CLUSTER_A = "greeter-a";
    public static final String CLUSTER_B = "greeter-b";

    private GreeterMesh() {
    }

    public static Snapshot snapshot(int weightA, int weightB, InetSocketAddress a, InetSocketAddress b) {
        List<Cluster> clusters = List.of(edsCluster(CLUSTER_A), edsCluster(CLUSTER_B));
        List<ClusterLoadAssignment> endpoints = List.of(assignment(CLUSTER_A, a), assignment(CLUSTER_B, b));
        List<Listener> listeners = List.of(apiListener());
        List<RouteConfiguration> routes = List.of(route(weightA, weightB));
        return Snapshot.create(clusters, version(clusters), endpoints, version(endpoints), listeners, version(listeners),
                routes, version(routes), List.of(), "");
    }

    private static String version(List<? extends Message> resources) {
        return Integer.toHexString(resources.hashCode());
    }

    private static ConfigSource ads() {
        return ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3).build();
    }

    static Listener apiListener() {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix(LISTENER)
                .setRds(Rds.newBuilder().setConfigSource(ads()).setRouteConfigName(ROUTE))
                .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
                        .setTypedConfig(Any.pack(Router.getDefaultInstance())))
                .build();
        return Listener.newBuilder().setName(LISTENER)
                .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm))).build();
    }

    static RouteConfiguration route(int weightA, int weightB) {
        return RouteConfiguration.newBuilder().setName(ROUTE)
                .addVirtualHosts(VirtualHost.newBuilder().setName(LISTENER).addDomains(LISTENER)
                        .addRoutes(Route.newBuilder()
                                .setMatch(RouteMatch.newBuilder().setPrefix(""))
                                .setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()
                                        .addClusters(WeightedCluster.ClusterWeight.newBuilder()
                                                .setName(CLUSTER_A).setWeight(UInt32Value.of(weightA)))
                                        .addClusters(WeightedCluster.ClusterWeight.newBuilder()
                                                .setName(CLUSTER_B).setWeight(UInt32Value.of(weightB)))))))
                .build();
    }

    static Cluster edsCluster(String name) {
        return Cluster.newBuilder().setName(name)
                .setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ads()))
                .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
                .build();
    }

    static ClusterLoadAssignment assignment(String cluster, InetSocketAddress at) {
        return ClusterLoadAssignment.newBuilder().setClusterName(cluster)
                .addEndpoints(LocalityLbEndpoints.newBuilder()
                        .setLocality(Locality.newBuilder().setRegion("local").setZone("a"))
                        .setLoadBalancingWeight(UInt32Value.of(1))
                        .addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
                                .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                                        .setAddress(at.getHostString()).setPortValue(at.getPort()))))))
                .build();
    }
}
