package dev.meshdeck.viz.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Collapsing namespaces is a function from graph to a smaller graph, so that the layout and the renderer
 * need no notion of it: every node of a collapsed namespace is replaced by one {@link NodeKind#NAMESPACE}
 * node (id {@code namespace:NAME}, at the place of the namespace's first node), and the edges are mapped
 * onto it and merged.
 * The external hosts (external nodes that call nothing) can be collapsed the same way into one group,
 * {@link #EXTERNAL}; the ingress gateway, which calls into the mesh, stays.
 *
 * <p>A namespace node's label is {@code NAME} and, on a second line, {@code N services, M unhealthy} (the
 * second part only when M > 0); its health follows {@link CollapseRules} (from the share of its services that
 * are degraded or failing, not from its worst member), it carries the union of its members' badges, and
 * MTLS/PLAINTEXT only when all members agree (else MIXED).
 *
 * <p>Merged edges (id {@code source->target}) add up requests per second; their success rate, latency
 * percentiles and mTLS share are the averages of the merged edges weighted by requests per second (plain
 * averages when none carried traffic); their protocol is that of the busiest merged edge, and they carry
 * no split weight. Edges inside one collapsed namespace disappear, and quiet merged edges are left out as
 * {@link CollapseRules} says. Edges between nodes that are not collapsed are kept as they are.
 */
public final class NamespaceCollapse {

    private static final String PREFIX = "namespace:";

    /**
     * The group of the external hosts: {@code collapse(graph, Set.of(EXTERNAL, ...))} collapses every external
     * node that calls nothing into one node, {@code nodeId(EXTERNAL)}, labelled {@code external} and
     * {@code N hosts, M unhealthy}; an external node that calls into the mesh (the ingress gateway, an outside
     * client) stays its own node. The name has a space, so no Kubernetes namespace can have it.
     */
    public static final String EXTERNAL = "external hosts";

    private NamespaceCollapse() {
    }

    /** The id of the node that stands for collapsed namespace {@code namespace} (or the {@link #EXTERNAL} group). */
    public static String nodeId(String namespace) {
        return PREFIX + namespace;
    }

    /**
     * What {@code graph} can collapse: its namespaces in name order, then {@link #EXTERNAL} when it has an
     * external node that calls nothing. Collapsing all of them is the smallest view of the graph.
     */
    public static List<String> groups(TopologyGraph graph) {
        List<String> groups = new ArrayList<>(graph.namespaces());
        for (int i = 0; i < graph.nodeCount(); i++) {
            if (inExternalGroup(graph, i)) {
                groups.add(EXTERNAL);
                break;
            }
        }
        return groups;
    }

    /** Whether node {@code i} is an external host that calls nothing, which the {@link #EXTERNAL} group holds. */
    private static boolean inExternalGroup(TopologyGraph graph, int i) {
        GraphNode node = graph.nodeAt(i);
        return node.kind() == NodeKind.EXTERNAL && node.namespace() == null && graph.outgoing(node.id()).isEmpty();
    }

    /**
     * {@code graph} with each namespace of {@code namespaces} collapsed into one node, and the external hosts
     * into one if {@code namespaces} has {@link #EXTERNAL}. Namespaces that the graph does not have are ignored
     * (a view may remember a collapsed namespace that is gone for now).
     *
     * @throws IllegalArgumentException if the id of a namespace node or merged edge is already taken
     */
    public static TopologyGraph collapse(TopologyGraph graph, Set<String> namespaces) {
        return collapse(graph, namespaces, CollapseRules.DEFAULT);
    }

    /**
     * {@code graph} with each namespace of {@code namespaces} collapsed into one node by {@code rules}.
     *
     * @throws IllegalArgumentException if the id of a namespace node or merged edge is already taken
     */
    public static TopologyGraph collapse(TopologyGraph graph, Set<String> namespaces, CollapseRules rules) {
        Objects.requireNonNull(rules, "rules");
        if (namespaces.isEmpty()) {
            return graph;
        }
        int n = graph.nodeCount();
        // what each node becomes: itself (its own index) or its group (n + the group's ordinal)
        int[] representative = new int[n];
        Map<String, NodeAggregate> groups = new LinkedHashMap<>();
        List<String> groupIds = new ArrayList<>();
        List<Object> order = new ArrayList<>(); // a kept GraphNode or the NodeAggregate, in graph order
        boolean externals = namespaces.contains(EXTERNAL);
        for (int i = 0; i < n; i++) {
            GraphNode node = graph.nodeAt(i);
            String name = node.namespace() != null && namespaces.contains(node.namespace()) ? node.namespace()
                    : externals && inExternalGroup(graph, i) ? EXTERNAL : null;
            if (name != null) {
                NodeAggregate group = groups.get(name);
                if (group == null) {
                    group = new NodeAggregate(name, n + groupIds.size());
                    groups.put(name, group);
                    groupIds.add(group.id);
                    order.add(group);
                }
                group.add(node, serviceHealth(graph, i));
                representative[i] = group.code;
            } else {
                representative[i] = i;
                order.add(node);
            }
        }
        if (groups.isEmpty()) {
            return graph;
        }
        TopologyGraph.Builder b = TopologyGraph.builder();
        for (Object o : order) {
            b.node(o instanceof GraphNode g ? g : ((NodeAggregate) o).toNode(rules));
        }
        // merged edges by (source, target) representative, packed in a long: no id strings per edge
        Map<Long, EdgeAggregate> merged = new LinkedHashMap<>();
        List<Object> edgeOrder = new ArrayList<>();
        for (int e = 0; e < graph.edgeCount(); e++) {
            int si = graph.sourceIndex(e);
            int ti = graph.targetIndex(e);
            int s = representative[si];
            int t = representative[ti];
            GraphEdge edge = graph.edgeAt(e);
            if (s == si && t == ti) {
                edgeOrder.add(edge);
            } else if (s != t) {
                long key = ((long) s << 32) | t;
                EdgeAggregate agg = merged.get(key);
                if (agg == null) {
                    String source = s < n ? graph.nodeAt(s).id() : groupIds.get(s - n);
                    String target = t < n ? graph.nodeAt(t).id() : groupIds.get(t - n);
                    agg = new EdgeAggregate(GraphEdge.defaultId(source, target), source, target);
                    merged.put(key, agg);
                    edgeOrder.add(agg);
                }
                agg.add(edge);
            }
        }
        List<GraphEdge> mergedEdges = new ArrayList<>(merged.size());
        for (EdgeAggregate agg : merged.values()) {
            mergedEdges.add(agg.toEdge());
        }
        Set<String> kept = busiestOrFailing(mergedEdges, rules);
        for (Object o : edgeOrder) {
            if (o instanceof GraphEdge g) {
                b.edge(g);
            } else {
                GraphEdge e = ((EdgeAggregate) o).edge;
                if (kept.contains(e.id())) {
                    b.edge(e);
                }
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("collapsing namespaces " + namespaces + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The health a member counts with in its namespace, or {@code null} when it does not count on its own: a
     * service's own health (the worst of its versions' when its own is UNKNOWN), a workload of no service its
     * own; the versions of a service count through the service.
     */
    private static Health serviceHealth(TopologyGraph graph, int i) {
        GraphNode node = graph.nodeAt(i);
        if (node.kind() == NodeKind.WORKLOAD && graph.parentIndex(i) >= 0) {
            return null;
        }
        if (node.kind() != NodeKind.SERVICE || node.health() != Health.UNKNOWN) {
            return node.health();
        }
        Health worst = Health.UNKNOWN;
        for (GraphNode version : graph.workloadsOf(node.id())) {
            worst = worst.worst(version.health());
        }
        return worst;
    }

    /**
     * The ids of the edges of {@code edges} that are among the {@code rules.busiestEdgesPerNode()} busiest
     * outgoing edges of their source or incoming edges of their target, or that lose the most requests per
     * second of all the outgoing edges of their source or incoming edges of their target while failing at
     * least at {@code rules.failingEdgeErrorRate()}; all of them when the rules keep every edge. Ties go to
     * the edge that comes first.
     */
    static Set<String> busiestOrFailing(List<GraphEdge> edges, CollapseRules rules) {
        Set<String> kept = new HashSet<>();
        int k = rules.busiestEdgesPerNode();
        if (k == 0) {
            for (GraphEdge e : edges) {
                kept.add(e.id());
            }
            return kept;
        }
        List<GraphEdge> byTraffic = new ArrayList<>(edges);
        byTraffic.sort(Comparator.comparingDouble((GraphEdge e) -> e.metrics().requestsPerSecond()).reversed());
        Map<String, Integer> outgoing = new HashMap<>();
        Map<String, Integer> incoming = new HashMap<>();
        for (GraphEdge e : byTraffic) {
            int out = outgoing.merge(e.source(), 1, Integer::sum);
            int in = incoming.merge(e.target(), 1, Integer::sum);
            if (out <= k || in <= k) {
                kept.add(e.id());
            }
        }
        Map<String, GraphEdge> worstOut = new HashMap<>();
        Map<String, GraphEdge> worstIn = new HashMap<>();
        for (GraphEdge e : edges) {
            if (e.metrics().errorRate() >= rules.failingEdgeErrorRate() && failedPerSecond(e) > 0) {
                worstOut.merge(e.source(), e, (x, y) -> failedPerSecond(y) > failedPerSecond(x) ? y : x);
                worstIn.merge(e.target(), e, (x, y) -> failedPerSecond(y) > failedPerSecond(x) ? y : x);
            }
        }
        worstOut.values().forEach(e -> kept.add(e.id()));
        worstIn.values().forEach(e -> kept.add(e.id()));
        return kept;
    }

    private static double failedPerSecond(GraphEdge e) {
        return e.metrics().requestsPerSecond() * e.metrics().errorRate();
    }

    private static final class NodeAggregate {
        final String namespace;
        final String id;
        /** What the group's members are represented by in {@code collapse}. */
        final int code;
        int count;
        int services;
        int failing;
        int degraded;
        int healthy;
        int idle;
        MtlsState mtls = MtlsState.UNKNOWN;
        final EnumSet<Badge> badges = EnumSet.noneOf(Badge.class);

        NodeAggregate(String namespace, int code) {
            this.namespace = namespace;
            this.id = nodeId(namespace);
            this.code = code;
        }

        void add(GraphNode node, Health serviceHealth) {
            count++;
            if (serviceHealth != null) {
                services++;
                switch (serviceHealth) {
                    case FAILING -> failing++;
                    case DEGRADED -> degraded++;
                    case HEALTHY -> healthy++;
                    case IDLE -> idle++;
                    case UNKNOWN -> { }
                }
            }
            mtls = count == 1 ? node.mtls() : mtls.combine(node.mtls());
            badges.addAll(node.badges());
        }

        GraphNode toNode(CollapseRules rules) {
            String label = EXTERNAL.equals(namespace) ? externalLabel(services, failing + degraded)
                    : label(namespace, services, failing + degraded);
            return new GraphNode(id, NodeKind.NAMESPACE, label, namespace, null, null,
                    rules.namespaceHealth(failing, degraded, healthy, idle), mtls, badges);
        }
    }

    /** The label of a namespace node: its name and, on a second line, how many services and how many unhealthy. */
    static String label(String namespace, int services, int unhealthy) {
        return namespace + "\n" + counted(services, " service", " services", unhealthy);
    }

    /** The label of the external group: {@code external} and, on a second line, how many hosts, how many unhealthy. */
    static String externalLabel(int hosts, int unhealthy) {
        return "external\n" + counted(hosts, " host", " hosts", unhealthy);
    }

    private static String counted(int n, String one, String many, int unhealthy) {
        String counted = n + (n == 1 ? one : many);
        return unhealthy > 0 ? counted + ", " + unhealthy + " unhealthy" : counted;
    }

    private static final class EdgeAggregate {
        final String id;
        final String source;
        final String target;
        int count;
        double rps;
        double success;
        double p50;
        double p90;
        double p99;
        double mtls;
        // plain sums, used when no merged edge carried traffic
        double success0;
        double p50x;
        double p90x;
        double p99x;
        double mtls0;
        double busiest = -1;
        Protocol protocol;

        EdgeAggregate(String id, String source, String target) {
            this.id = id;
            this.source = source;
            this.target = target;
        }

        void add(GraphEdge e) {
            EdgeMetrics m = e.metrics();
            double w = m.requestsPerSecond();
            count++;
            rps += w;
            success += w * m.successRate();
            p50 += w * m.p50Ms();
            p90 += w * m.p90Ms();
            p99 += w * m.p99Ms();
            mtls += w * e.mtlsShare();
            success0 += m.successRate();
            p50x += m.p50Ms();
            p90x += m.p90Ms();
            p99x += m.p99Ms();
            mtls0 += e.mtlsShare();
            if (w > busiest) {
                busiest = w;
                protocol = e.protocol();
            }
        }

        GraphEdge edge;

        GraphEdge toEdge() {
            edge = build();
            return edge;
        }

        private GraphEdge build() {
            EdgeMetrics m;
            double share;
            if (rps > 0) {
                m = new EdgeMetrics(rps, clamp01(success / rps), p50 / rps, Math.max(p50 / rps, p90 / rps),
                        Math.max(p50 / rps, Math.max(p90 / rps, p99 / rps)));
                share = clamp01(mtls / rps);
            } else {
                m = new EdgeMetrics(0, clamp01(success0 / count), p50x / count, Math.max(p50x, p90x) / count,
                        Math.max(p50x, Math.max(p90x, p99x)) / count);
                share = clamp01(mtls0 / count);
            }
            return new GraphEdge(id, source, target, protocol, m, share, null);
        }

        private static double clamp01(double v) {
            return Math.max(0, Math.min(1, v));
        }
    }
}
