package dev.meshdeck.controller.translate;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;

/** The xDS resources one proxy is sent, each list sorted by resource name. */
public record ProxyResources(List<Listener> listeners, List<RouteConfiguration> routes, List<Cluster> clusters,
                             List<ClusterLoadAssignment> endpoints) {
    public ProxyResources {
        listeners = List.copyOf(listeners);
        routes = List.copyOf(routes);
        clusters = List.copyOf(clusters);
        endpoints = List.copyOf(endpoints);
    }
}
