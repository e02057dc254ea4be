package dev.meshdeck.viz.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One immutable snapshot of the topology: nodes, directed edges, and the grouping they imply (workloads
 * inside their service, nodes inside their namespace).
 *
 * <p>The order of nodes and edges is the order they were given in; everything derived from a graph (its
 * layout, its JSON) follows that order, so the same graph always gives the same result.
 *
 * <p>Metric and status updates are cheap: {@link #withMetrics}, {@link #withEdgeUpdates} and
 * {@link #withNodeUpdates} keep the structure (indexes, adjacency, grouping) and share it with the new
 * graph, copying only the arrays of nodes or edges — O(n) with no hashing of the structure again.
 *
 * <p>Nodes and edges are also reachable by index ({@link #nodeAt}, {@link #edgeAt}, {@link #sourceIndex})
 * for layout and rendering loops that must not allocate.
 */
public final class TopologyGraph {

    private static final int[] NO_INTS = new int[0];

    /** The graph with nothing in it. */
    public static final TopologyGraph EMPTY = of(List.of(), List.of());

    private final Structure structure;
    private final GraphNode[] nodes;
    private final GraphEdge[] edges;
    private final List<GraphNode> nodeList;
    private final List<GraphEdge> edgeList;

    private TopologyGraph(Structure structure, GraphNode[] nodes, GraphEdge[] edges) {
        this.structure = structure;
        this.nodes = nodes;
        this.edges = edges;
        this.nodeList = Collections.unmodifiableList(Arrays.asList(nodes));
        this.edgeList = Collections.unmodifiableList(Arrays.asList(edges));
    }

    /**
     * A graph of these nodes and edges.
     *
     * @throws IllegalArgumentException naming the node or edge, for a duplicate id, an edge to an unknown
     *     node, or a workload whose service is unknown, not a service, or in another namespace
     */
    public static TopologyGraph of(Collection<GraphNode> nodes, Collection<GraphEdge> edges) {
        GraphNode[] n = nodes.toArray(new GraphNode[0]);
        GraphEdge[] e = edges.toArray(new GraphEdge[0]);
        for (GraphNode node : n) {
            Objects.requireNonNull(node, "null node");
        }
        for (GraphEdge edge : e) {
            Objects.requireNonNull(edge, "null edge");
        }
        return new TopologyGraph(new Structure(n, e), n, e);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<GraphNode> nodes() {
        return nodeList;
    }

    public List<GraphEdge> edges() {
        return edgeList;
    }

    public int nodeCount() {
        return nodes.length;
    }

    public int edgeCount() {
        return edges.length;
    }

    public boolean isEmpty() {
        return nodes.length == 0;
    }

    public boolean containsNode(String id) {
        return structure.nodeIndex.containsKey(id);
    }

    public boolean containsEdge(String id) {
        return structure.edgeIndex.containsKey(id);
    }

    public Optional<GraphNode> findNode(String id) {
        Integer i = structure.nodeIndex.get(id);
        return i == null ? Optional.empty() : Optional.of(nodes[i]);
    }

    public Optional<GraphEdge> findEdge(String id) {
        Integer i = structure.edgeIndex.get(id);
        return i == null ? Optional.empty() : Optional.of(edges[i]);
    }

    /** @throws IllegalArgumentException if there is no such node */
    public GraphNode node(String id) {
        return nodes[requireNode(id)];
    }

    /** @throws IllegalArgumentException if there is no such edge */
    public GraphEdge edge(String id) {
        Integer i = structure.edgeIndex.get(id);
        if (i == null) {
            throw new IllegalArgumentException("no edge '" + id + "' in the graph");
        }
        return edges[i];
    }

    /** The position of node {@code id} in {@link #nodes()}, or -1. */
    public int indexOf(String id) {
        Integer i = structure.nodeIndex.get(id);
        return i == null ? -1 : i;
    }

    /** The position of edge {@code id} in {@link #edges()}, or -1. */
    public int edgeIndexOf(String id) {
        Integer i = structure.edgeIndex.get(id);
        return i == null ? -1 : i;
    }

    public GraphNode nodeAt(int index) {
        return nodes[index];
    }

    public GraphEdge edgeAt(int index) {
        return edges[index];
    }

    /** The node index of the source of edge number {@code edgeIndex}. */
    public int sourceIndex(int edgeIndex) {
        return structure.edgeSource[edgeIndex];
    }

    /** The node index of the target of edge number {@code edgeIndex}. */
    public int targetIndex(int edgeIndex) {
        return structure.edgeTarget[edgeIndex];
    }

    /** The index of the service node that node number {@code nodeIndex} belongs to, or -1. */
    public int parentIndex(int nodeIndex) {
        return structure.parent[nodeIndex];
    }

    /** Edges leaving node {@code id}, in graph order. */
    public List<GraphEdge> outgoing(String id) {
        return edgesAt(structure.out[requireNode(id)]);
    }

    /** Edges arriving at node {@code id}, in graph order. */
    public List<GraphEdge> incoming(String id) {
        return edgesAt(structure.in[requireNode(id)]);
    }

    /** The workload nodes (versions) of service node {@code serviceId}, in graph order. */
    public List<GraphNode> workloadsOf(String serviceId) {
        int[] c = structure.children[requireNode(serviceId)];
        List<GraphNode> result = new ArrayList<>(c.length);
        for (int i : c) {
            result.add(nodes[i]);
        }
        return Collections.unmodifiableList(result);
    }

    /** The namespaces of the nodes, sorted by name. External nodes are in none. */
    public List<String> namespaces() {
        return structure.namespaces;
    }

    /** The nodes of {@code namespace}, in graph order (empty for an unknown namespace). */
    public List<GraphNode> nodesIn(String namespace) {
        int[] members = structure.namespaceMembers.get(namespace);
        if (members == null) {
            return List.of();
        }
        List<GraphNode> result = new ArrayList<>(members.length);
        for (int i : members) {
            result.add(nodes[i]);
        }
        return Collections.unmodifiableList(result);
    }

    /**
     * This graph with the metrics of some edges replaced; the structure is shared.
     *
     * @param metricsByEdgeId new metrics by edge id; edges not named keep theirs
     * @throws IllegalArgumentException for an edge id not in the graph
     */
    public TopologyGraph withMetrics(Map<String, EdgeMetrics> metricsByEdgeId) {
        GraphEdge[] updated = edges.clone();
        for (Map.Entry<String, EdgeMetrics> e : metricsByEdgeId.entrySet()) {
            Integer i = structure.edgeIndex.get(e.getKey());
            if (i == null) {
                throw new IllegalArgumentException("metrics for edge '" + e.getKey() + "': no such edge in the graph");
            }
            updated[i] = updated[i].withMetrics(e.getValue());
        }
        return new TopologyGraph(structure, nodes, updated);
    }

    /**
     * This graph with some edges replaced by versions that differ only in metrics, mTLS share or split
     * weight; the structure is shared.
     *
     * @throws IllegalArgumentException for an unknown edge or a change of source, target or protocol
     */
    public TopologyGraph withEdgeUpdates(Collection<GraphEdge> changed) {
        GraphEdge[] updated = edges.clone();
        for (GraphEdge edge : changed) {
            Integer i = structure.edgeIndex.get(edge.id());
            if (i == null) {
                throw new IllegalArgumentException("update of edge '" + edge.id() + "': no such edge in the graph");
            }
            if (!edges[i].sameStructureAs(edge)) {
                throw new IllegalArgumentException("update of edge '" + edge.id()
                        + "': source, target or protocol changed (expected: only metrics, mtlsShare, splitWeight;"
                        + " build a new graph for structural changes)");
            }
            updated[i] = edge;
        }
        return new TopologyGraph(structure, nodes, updated);
    }

    /**
     * This graph with some nodes replaced by versions that differ only in label, health, mTLS state or
     * badges; the structure is shared.
     *
     * @throws IllegalArgumentException for an unknown node or a change of kind, namespace, service or version
     */
    public TopologyGraph withNodeUpdates(Collection<GraphNode> changed) {
        GraphNode[] updated = nodes.clone();
        for (GraphNode node : changed) {
            Integer i = structure.nodeIndex.get(node.id());
            if (i == null) {
                throw new IllegalArgumentException("update of node '" + node.id() + "': no such node in the graph");
            }
            if (!nodes[i].sameStructureAs(node)) {
                throw new IllegalArgumentException("update of node '" + node.id()
                        + "': kind, namespace, service or version changed (expected: only label, health, mtls,"
                        + " badges; build a new graph for structural changes)");
            }
            updated[i] = node;
        }
        return new TopologyGraph(structure, updated, edges);
    }

    /** Whether {@code other} has the same node and edge ids, grouping and endpoints (metrics aside). */
    public boolean sameStructureAs(TopologyGraph other) {
        if (other.structure == structure) {
            return true;
        }
        if (other.nodes.length != nodes.length || other.edges.length != edges.length) {
            return false;
        }
        for (int i = 0; i < nodes.length; i++) {
            if (!nodes[i].sameStructureAs(other.nodes[i])) {
                return false;
            }
        }
        for (int i = 0; i < edges.length; i++) {
            if (!edges[i].sameStructureAs(other.edges[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopologyGraph g && Arrays.equals(nodes, g.nodes) && Arrays.equals(edges, g.edges);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(nodes) + Arrays.hashCode(edges);
    }

    @Override
    public String toString() {
        return "TopologyGraph[" + nodes.length + " nodes, " + edges.length + " edges, "
                + structure.namespaces.size() + " namespaces]";
    }

    private int requireNode(String id) {
        Integer i = structure.nodeIndex.get(id);
        if (i == null) {
            throw new IllegalArgumentException("no node '" + id + "' in the graph");
        }
        return i;
    }

    private List<GraphEdge> edgesAt(int[] indexes) {
        List<GraphEdge> result = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            result.add(edges[i]);
        }
        return Collections.unmodifiableList(result);
    }

    /** What does not change when metrics or node status do: indexes, adjacency, grouping. */
    private static final class Structure {
        final Map<String, Integer> nodeIndex;
        final Map<String, Integer> edgeIndex;
        final int[] edgeSource;
        final int[] edgeTarget;
        final int[] parent;
        final int[][] out;
        final int[][] in;
        final int[][] children;
        final List<String> namespaces;
        final Map<String, int[]> namespaceMembers;

        Structure(GraphNode[] nodes, GraphEdge[] edges) {
            nodeIndex = new HashMap<>(nodes.length * 2);
            for (int i = 0; i < nodes.length; i++) {
                if (nodeIndex.putIfAbsent(nodes[i].id(), i) != null) {
                    throw new IllegalArgumentException("node '" + nodes[i].id() + "': duplicate id");
                }
            }
            parent = new int[nodes.length];
            int[] childCount = new int[nodes.length];
            TreeMap<String, List<Integer>> byNamespace = new TreeMap<>();
            for (int i = 0; i < nodes.length; i++) {
                GraphNode n = nodes[i];
                parent[i] = -1;
                if (n.service() != null) {
                    Integer p = nodeIndex.get(n.service());
                    if (p == null) {
                        throw new IllegalArgumentException("node '" + n.id() + "': service '" + n.service()
                                + "' is not a node of the graph (expected: the id of a SERVICE node)");
                    }
                    GraphNode s = nodes[p];
                    if (s.kind() != NodeKind.SERVICE) {
                        throw new IllegalArgumentException("node '" + n.id() + "': service '" + n.service()
                                + "' is a " + s.kind() + " node (expected: a SERVICE node)");
                    }
                    if (!Objects.equals(s.namespace(), n.namespace())) {
                        throw new IllegalArgumentException("node '" + n.id() + "': namespace '" + n.namespace()
                                + "' differs from its service's '" + s.namespace() + "'");
                    }
                    parent[i] = p;
                    childCount[p]++;
                }
                if (n.namespace() != null) {
                    byNamespace.computeIfAbsent(n.namespace(), k -> new ArrayList<>()).add(i);
                }
            }
            children = new int[nodes.length][];
            int[] fill = new int[nodes.length];
            for (int i = 0; i < nodes.length; i++) {
                children[i] = childCount[i] == 0 ? NO_INTS : new int[childCount[i]];
            }
            for (int i = 0; i < nodes.length; i++) {
                if (parent[i] >= 0) {
                    children[parent[i]][fill[parent[i]]++] = i;
                }
            }
            namespaces = List.copyOf(byNamespace.keySet());
            Map<String, int[]> members = new HashMap<>();
            byNamespace.forEach((ns, list) -> members.put(ns, list.stream().mapToInt(Integer::intValue).toArray()));
            namespaceMembers = members;

            edgeIndex = new HashMap<>(edges.length * 2);
            edgeSource = new int[edges.length];
            edgeTarget = new int[edges.length];
            int[] outCount = new int[nodes.length];
            int[] inCount = new int[nodes.length];
            for (int i = 0; i < edges.length; i++) {
                GraphEdge e = edges[i];
                if (edgeIndex.putIfAbsent(e.id(), i) != null) {
                    throw new IllegalArgumentException("edge '" + e.id() + "': duplicate id");
                }
                Integer s = nodeIndex.get(e.source());
                Integer t = nodeIndex.get(e.target());
                if (s == null || t == null) {
                    throw new IllegalArgumentException("edge '" + e.id() + "': " + (s == null ? "source '"
                            + e.source() : "target '" + e.target()) + "' is not a node of the graph");
                }
                edgeSource[i] = s;
                edgeTarget[i] = t;
                outCount[s]++;
                inCount[t]++;
            }
            out = new int[nodes.length][];
            in = new int[nodes.length][];
            for (int i = 0; i < nodes.length; i++) {
                out[i] = outCount[i] == 0 ? NO_INTS : new int[outCount[i]];
                in[i] = inCount[i] == 0 ? NO_INTS : new int[inCount[i]];
            }
            Arrays.fill(outCount, 0);
            Arrays.fill(inCount, 0);
            for (int i = 0; i < edges.length; i++) {
                out[edgeSource[i]][outCount[edgeSource[i]]++] = i;
                in[edgeTarget[i]][inCount[edgeTarget[i]]++] = i;
            }
        }
    }

    /** Collects nodes and edges in order, then validates them all in {@link #build()}. */
    public static final class Builder {
        private final List<GraphNode> nodes = new ArrayList<>();
        private final List<GraphEdge> edges = new ArrayList<>();

        private Builder() {
        }

        public Builder node(GraphNode node) {
            nodes.add(Objects.requireNonNull(node, "node"));
            return this;
        }

        public Builder edge(GraphEdge edge) {
            edges.add(Objects.requireNonNull(edge, "edge"));
            return this;
        }

        public TopologyGraph build() {
            return of(nodes, edges);
        }
    }
}
