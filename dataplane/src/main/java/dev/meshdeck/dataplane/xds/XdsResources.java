package dev.meshdeck.dataplane.xds;

import dev.meshdeck.dataplane.xds.proto.envoy.config.cluster.v3.Cluster;
import dev.meshdeck.dataplane.xds.proto.envoy.config.endpoint.v3.ClusterLoadAssignment;
import dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.Listener;
import dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.RouteConfiguration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** One ADS state as Envoy protos (the sidecar's lite classes), each type by resource name. */
public record XdsResources(Map<String, Listener> listeners, Map<String, RouteConfiguration> routes,
                           Map<String, Cluster> clusters, Map<String, ClusterLoadAssignment> endpoints) {
    public static final XdsResources EMPTY = new XdsResources(Map.of(), Map.of(), Map.of(), Map.of());

    public XdsResources {
        listeners = sorted(listeners);
        routes = sorted(routes);
        clusters = sorted(clusters);
        endpoints = sorted(endpoints);
    }

    /** A state from lists of resources, keyed by their names. */
    public static XdsResources of(Iterable<Listener> listeners, Iterable<RouteConfiguration> routes,
                                  Iterable<Cluster> clusters, Iterable<ClusterLoadAssignment> endpoints) {
        return new XdsResources(byName(listeners, Listener::getName), byName(routes, RouteConfiguration::getName),
                byName(clusters, Cluster::getName), byName(endpoints, ClusterLoadAssignment::getClusterName));
    }

    private static <T> Map<String, T> byName(Iterable<T> items, Function<T, String> name) {
        return java.util.stream.StreamSupport.stream(items.spliterator(), false)
                .collect(Collectors.toMap(name, Function.identity(), (a, b) -> {
                    throw new XdsConfigException("duplicate resource name " + name.apply(a));
                }, TreeMap::new));
    }

    private static <V> Map<String, V> sorted(Map<String, V> m) {
        return Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(m)));
    }
}
