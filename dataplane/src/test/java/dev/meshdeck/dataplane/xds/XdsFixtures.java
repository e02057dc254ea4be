package dev.meshdeck.dataplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
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
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;

/** Envoy protos shaped like the controller's (see docs/decisions/0001-xds-resource-naming.md). */
final class XdsFixtures {
    static final String V1 = "outbound|80|v1|reviews.default.svc.cluster.local";
    static final String V2 = "outbound|80|v2|reviews.default.svc.cluster.local";

    private XdsFixtures() {
    }

    static ConfigSource ads() {
        return ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3).build();
    }

    static HttpFilter fault() {
        return HttpFilter.newBuilder().setName("envoy.filters.http.fault")
                .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())).build();
    }

    static HttpFilter router() {
        return HttpFilter.newBuilder().setName("envoy.filters.http.router")
                .setTypedConfig(Any.pack(Router.getDefaultInstance())).build();
    }

    static Listener outboundListener(HttpFilter... filters) {
        HttpConnectionManager.Builder hcm = HttpConnectionManager.newBuilder().setStatPrefix("outbound")
                .setRds(Rds.newBuilder().setConfigSource(ads()).setRouteConfigName("outbound"));
        for (HttpFilter f : filters) {
            hcm.addHttpFilters(f);
        }
        return Listener.newBuilder().setName("outbound")
                .setAddress(Address.newBuilder().setSocketAddress(
                        SocketAddress.newBuilder().setAddress("127.0.0.1").setPortValue(15001)))
                .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager").setTypedConfig(Any.pack(hcm.build()))))
                .setTrafficDirection(TrafficDirection.OUTBOUND)
                .build();
    }

    static Listener outboundListener() {
        return outboundListener(fault(), router());
    }

    static Route.Builder route(String name) {
        return Route.newBuilder().setName(name).setMatch(RouteMatch.newBuilder().setPrefix("/"));
    }

    static RouteConfiguration split(int w1, int w2) {
        return routes(route("split").setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()
                .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(V1).setWeight(UInt32Value.of(w1)))
                .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(V2).setWeight(UInt32Value.of(w2)))))
                .build());
    }

    static RouteConfiguration routes(Route... routes) {
        VirtualHost.Builder vh = VirtualHost.newBuilder().setName("reviews.default.svc.cluster.local")
                .addDomains("reviews").addDomains("reviews:80");
        for (Route r : routes) {
            vh.addRoutes(r);
        }
        return RouteConfiguration.newBuilder().setName("outbound").addVirtualHosts(vh).build();
    }

    static Cluster edsCluster(String name) {
        return Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ads()).setServiceName(name))
                .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(10))
                .build();
    }

    static ClusterLoadAssignment assignment(String cluster, String address, int port) {
        return ClusterLoadAssignment.newBuilder().setClusterName(cluster)
                .addEndpoints(LocalityLbEndpoints.newBuilder()
                        .setLoadBalancingWeight(UInt32Value.of(1))
                        .addLbEndpoints(endpoint(address, port, 1)))
                .build();
    }

    static LbEndpoint endpoint(String address, int port, int weight) {
        return LbEndpoint.newBuilder()
                .setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder().setSocketAddress(
                        SocketAddress.newBuilder().setAddress(address).setPortValue(port))))
                .setLoadBalancingWeight(UInt32Value.of(weight))
                .build();
    }
}
