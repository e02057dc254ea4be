package dev.meshdeck.dataplane.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the sidecar runs on, by name, with the xDS version of each part.
 *
 * @param listeners the listeners ({@code outbound}, {@code inbound})
 * @param routes    route tables by name
 * @param clusters  clusters by name, each with its endpoints
 * @param versions  the accepted xDS version per type short name ({@code LDS}, {@code RDS}, {@code CDS}, {@code EDS})
 */
public record ProxyConfig(Map<String, ListenerConfig> listeners, Map<String, RouteTable> routes,
                          Map<String, ClusterConfig> clusters, Map<String, String> versions) {
    public static final ProxyConfig EMPTY = new ProxyConfig(Map.of(), Map.of(), Map.of(), Map.of());

    public ProxyConfig {
        listeners = sorted(listeners);
        routes = sorted(routes);
        clusters = sorted(clusters);
        versions = sorted(versions);
        for (ListenerConfig l : listeners.values()) {
            if (!routes.containsKey(l.routeTable())) {
                throw new IllegalArgumentException("listener " + l.name() + ": route table " + l.routeTable()
                        + " does not exist (expected one of: " + routes.keySet() + ")");
            }
        }
        for (RouteTable t : routes.values()) {
            for (VirtualHost vh : t.virtualHosts()) {
                for (Route r : vh.routes()) {
                    for (String c : r.clusterNames()) {
                        if (!clusters.containsKey(c)) {
                            throw new IllegalArgumentException("route table " + t.name() + ", virtual host " + vh.name()
                                    + ", route " + r.name() + ": cluster " + c + " does not exist");
                        }
                    }
                }
            }
        }
    }

    public Optional<ClusterConfig> cluster(String name) {
        return Optional.ofNullable(clusters.get(name));
    }

    private static <V> Map<String, V> sorted(Map<String, V> m) {
        Objects.requireNonNull(m);
        return java.util.Collections.unmodifiableMap(new TreeMap<>(m));
    }
}
