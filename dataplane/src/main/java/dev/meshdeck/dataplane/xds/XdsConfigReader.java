package dev.meshdeck.dataplane.xds;

import com.google.protobuf.MessageLite;
import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ListenerConfig;
import dev.meshdeck.dataplane.config.ProxyConfig;
import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.config.RouteTable;
import dev.meshdeck.dataplane.config.VirtualHost;
import dev.meshdeck.dataplane.xds.internal.ClusterReader;
import dev.meshdeck.dataplane.xds.internal.ClusterSpec;
import dev.meshdeck.dataplane.xds.internal.EndpointReader;
import dev.meshdeck.dataplane.xds.internal.ListenerReader;
import dev.meshdeck.dataplane.xds.internal.RouteReader;
import dev.meshdeck.dataplane.xds.proto.envoy.config.cluster.v3.Cluster;
import dev.meshdeck.dataplane.xds.proto.envoy.config.endpoint.v3.ClusterLoadAssignment;
import dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.Listener;
import dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns one ADS state (Envoy v3 protos, decoded into the sidecar's lite classes) into a {@link ProxyConfig}, validating everything it uses. A
 * resource the sidecar cannot apply is an {@link XdsConfigException} naming the resource and the field;
 * what the reader supports and rejects is listed in {@code docs/dataplane-xds.md}.
 *
 * <p>Validation is per resource ({@link #validate}), so a response can be ACKed or NACKed on its own;
 * assembly ({@link #assemble}) also needs every referenced route config, cluster and assignment, and says
 * which are still missing while the state warms.
 */
public final class XdsConfigReader {
    private XdsConfigReader() {
    }

    /** What {@link #assemble} found: a complete config, or the references still missing. */
    public sealed interface Assembly {
        record Complete(ProxyConfig config) implements Assembly {
        }

        record Warming(List<String> missing) implements Assembly {
            public Warming {
                missing = List.copyOf(missing);
            }
        }
    }

    /**
     * Checks each resource of one response on its own.
     *
     * @throws XdsConfigException naming the first resource and field the sidecar cannot apply
     */
    public static void validate(XdsType type, Collection<? extends MessageLite> resources) {
        Set<String> names = new TreeSet<>();
        for (MessageLite m : resources) {
            String name = switch (type) {
                case LDS -> ListenerReader.read((Listener) m).name();
                case RDS -> RouteReader.read((RouteConfiguration) m).name();
                case CDS -> ClusterReader.read((Cluster) m).config().name();
                case EDS -> {
                    ClusterLoadAssignment cla = (ClusterLoadAssignment) m;
                    if (cla.getClusterName().isEmpty()) {
                        throw new XdsConfigException("cluster load assignment: empty cluster_name (expected: a name)");
                    }
                    EndpointReader.read(cla, "cluster load assignment " + cla.getClusterName());
                    yield cla.getClusterName();
                }
            };
            if (!names.add(name)) {
                throw new XdsConfigException(type + " resource " + name + ": sent twice (expected: unique names)");
            }
        }
    }

    /** The names of the resources of the dependent type that {@code resources} refer to (LDS → RDS, CDS → EDS). */
    public static Set<String> references(XdsType type, Collection<? extends MessageLite> resources) {
        Set<String> refs = new TreeSet<>();
        for (MessageLite m : resources) {
            switch (type) {
                case LDS -> refs.add(ListenerReader.read((Listener) m).routeTable());
                case CDS -> {
                    ClusterSpec spec = ClusterReader.read((Cluster) m);
                    if (spec.usesEds()) {
                        refs.add(spec.edsName());
                    }
                }
                default -> throw new IllegalArgumentException(type + " refers to no other type (expected: LDS or CDS)");
            }
        }
        return refs;
    }

    /**
     * Assembles {@code state} if it is complete: every listener's route config, every EDS cluster's
     * assignment and every cluster a route sends to is present. Otherwise says what is missing.
     *
     * @throws XdsConfigException if a resource is invalid
     */
    public static Assembly assemble(XdsResources state, Map<String, String> versions) {
        Objects.requireNonNull(versions, "versions");
        List<String> missing = new ArrayList<>();
        Map<String, ListenerConfig> listeners = new TreeMap<>();
        state.listeners().values().forEach(l -> {
            ListenerConfig lc = ListenerReader.read(l);
            listeners.put(lc.name(), lc);
        });
        Map<String, RouteTable> routes = new TreeMap<>();
        state.routes().values().forEach(rc -> routes.put(rc.getName(), RouteReader.read(rc)));
        Map<String, ClusterConfig> clusters = new TreeMap<>();
        for (Cluster c : state.clusters().values()) {
            ClusterSpec spec = ClusterReader.read(c);
            ClusterConfig config = spec.config();
            if (spec.usesEds()) {
                ClusterLoadAssignment cla = state.endpoints().get(spec.edsName());
                if (cla == null) {
                    missing.add("endpoints " + spec.edsName() + " (EDS of cluster " + c.getName() + ")");
                    continue;
                }
                config = config.withEndpoints(EndpointReader.read(cla, "cluster load assignment " + spec.edsName()));
            }
            clusters.put(config.name(), config);
        }
        for (ListenerConfig l : listeners.values()) {
            if (!routes.containsKey(l.routeTable())) {
                missing.add("route config " + l.routeTable() + " (RDS of listener " + l.name() + ")");
            }
        }
        for (ListenerConfig l : listeners.values()) {
            RouteTable t = routes.get(l.routeTable());
            if (t == null) {
                continue;
            }
            for (VirtualHost vh : t.virtualHosts()) {
                for (Route r : vh.routes()) {
                    for (String c : r.clusterNames()) {
                        if (!clusters.containsKey(c) && !state.clusters().containsKey(c)) {
                            missing.add("cluster " + c + " (route config " + t.name() + ", virtual host " + vh.name()
                                    + ", route " + r.name() + ")");
                        }
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            return new Assembly.Warming(missing.stream().distinct().toList());
        }
        // Route configs no listener uses are kept out: ProxyConfig checks every table's clusters.
        routes.keySet().retainAll(listeners.values().stream().map(ListenerConfig::routeTable).toList());
        try {
            return new Assembly.Complete(new ProxyConfig(listeners, routes, clusters, versions));
        } catch (IllegalArgumentException e) {
            throw new XdsConfigException(e.getMessage());
        }
    }

    /**
     * Reads a complete state into a config.
     *
     * @throws XdsConfigException if a resource is invalid or a referenced one is missing
     */
    public static ProxyConfig read(XdsResources state, Map<String, String> versions) {
        return switch (assemble(state, versions)) {
            case Assembly.Complete c -> c.config();
            case Assembly.Warming w -> throw new XdsConfigException("incomplete xDS state, missing: "
                    + String.join("; ", w.missing()));
        };
    }
}
