package dev.meshdeck.viz.io;

import dev.meshdeck.viz.io.internal.JsonNode;
import dev.meshdeck.viz.io.internal.JsonParser;
import dev.meshdeck.viz.io.internal.JsonWriter;
import dev.meshdeck.viz.layout.Layout;
import dev.meshdeck.viz.layout.Point;
import dev.meshdeck.viz.model.Badge;
import dev.meshdeck.viz.model.EdgeMetrics;
import dev.meshdeck.viz.model.GraphEdge;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.Health;
import dev.meshdeck.viz.model.MtlsState;
import dev.meshdeck.viz.model.NodeKind;
import dev.meshdeck.viz.model.Protocol;
import dev.meshdeck.viz.model.TopologyGraph;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of a topology with its layout ({@code "format": "meshdeck-topology/v1"}) and of a layout
 * alone ({@code "format": "meshdeck-layout/v1"}), described in {@code docs/topology-viz.md}.
 *
 * <p>Writing is deterministic (graph order, fixed field order) and numbers read back to the same doubles,
 * so {@code read(write(g, l))} equals {@code (g, l)}. Reading is strict: an unknown field, a wrong type, a
 * value out of range or a reference to an unknown node fails with a {@link TopologyFormatException}
 * naming the JSON path ({@code $.edges[3].successRate}) and what was expected.
 */
public final class TopologyJson {

    public static final String FORMAT = "meshdeck-topology/v1";
    public static final String LAYOUT_FORMAT = "meshdeck-layout/v1";

    private static final Set<String> DOCUMENT_FIELDS = Set.of("format", "nodes", "edges", "layout");
    private static final Set<String> LAYOUT_DOCUMENT_FIELDS = Set.of("format", "positions", "pinned");
    private static final Set<String> LAYOUT_FIELDS = Set.of("positions", "pinned");
    private static final Set<String> NODE_FIELDS = Set.of("id", "kind", "label", "namespace", "service", "version",
            "health", "mtls", "badges");
    private static final Set<String> EDGE_FIELDS = Set.of("id", "source", "target", "protocol", "metrics",
            "mtlsShare", "splitWeight");
    private static final Set<String> METRICS_FIELDS = Set.of("requestsPerSecond", "successRate", "p50Ms", "p90Ms",
            "p99Ms");
    private static final Set<String> POINT_FIELDS = Set.of("x", "y");

    private TopologyJson() {
    }

    public static String write(TopologyGraph graph, Layout layout) {
        StringBuilder sb = new StringBuilder(graph.nodeCount() * 200 + graph.edgeCount() * 220);
        JsonWriter w = new JsonWriter(sb);
        w.beginObject().field("format", FORMAT);
        w.name("nodes").beginArray();
        for (GraphNode n : graph.nodes()) {
            writeNode(w, n);
        }
        w.endArray();
        w.name("edges").beginArray();
        for (GraphEdge e : graph.edges()) {
            writeEdge(w, e);
        }
        w.endArray();
        w.name("layout");
        writeLayoutBody(w, layout);
        w.endObject();
        return sb.append('\n').toString();
    }

    public static void write(Path file, TopologyGraph graph, Layout layout) throws IOException {
        Files.writeString(file, write(graph, layout), StandardCharsets.UTF_8);
    }

    /** @throws TopologyFormatException naming the JSON path or line and column of what is wrong */
    public static TopologyDocument read(String json) {
        JsonNode root = JsonNode.root(JsonParser.parse(json));
        root.object(DOCUMENT_FIELDS);
        checkFormat(root, FORMAT);
        List<GraphNode> nodes = new ArrayList<>();
        Map<String, String> nodePaths = new HashMap<>();
        for (JsonNode n : root.required("nodes").array()) {
            GraphNode node = readNode(n);
            String earlier = nodePaths.putIfAbsent(node.id(), n.path());
            if (earlier != null) {
                throw new TopologyFormatException(n.path() + ".id", "'" + node.id() + "' already used by " + earlier);
            }
            nodes.add(node);
        }
        for (int i = 0; i < nodes.size(); i++) {
            String service = nodes.get(i).service();
            if (service != null && !nodePaths.containsKey(service)) {
                throw new TopologyFormatException("$.nodes[" + i + "].service", "'" + service + "' is not a node id");
            }
        }
        List<GraphEdge> edges = new ArrayList<>();
        Map<String, String> edgePaths = new HashMap<>();
        JsonNode edgesNode = root.optional("edges");
        for (JsonNode e : edgesNode == null ? List.<JsonNode>of() : edgesNode.array()) {
            GraphEdge edge = readEdge(e);
            for (String end : List.of("source", "target")) {
                String id = end.equals("source") ? edge.source() : edge.target();
                if (!nodePaths.containsKey(id)) {
                    throw new TopologyFormatException(e.path() + "." + end, "'" + id + "' is not a node id");
                }
            }
            String earlier = edgePaths.putIfAbsent(edge.id(), e.path());
            if (earlier != null) {
                throw new TopologyFormatException(e.path() + ".id", "'" + edge.id() + "' already used by " + earlier);
            }
            edges.add(edge);
        }
        TopologyGraph graph;
        try {
            graph = TopologyGraph.of(nodes, edges);
        } catch (IllegalArgumentException ex) {
            throw new TopologyFormatException("$", ex.getMessage(), ex);
        }
        JsonNode layoutNode = root.optional("layout");
        Layout layout = layoutNode == null ? Layout.EMPTY : readLayoutBody(layoutNode, LAYOUT_FIELDS);
        for (String id : layout.positions().keySet()) {
            if (!graph.containsNode(id)) {
                throw new TopologyFormatException("$.layout.positions." + id, "not a node id");
            }
        }
        return new TopologyDocument(graph, layout);
    }

    public static TopologyDocument read(Path file) throws IOException {
        try {
            return read(Files.readString(file, StandardCharsets.UTF_8));
        } catch (TopologyFormatException e) {
            throw new TopologyFormatException(file + ": " + e.where(), e.getMessage().substring(e.where().length() + 2), e);
        }
    }

    /** A layout alone, to save and restore node positions and pins. */
    public static String writeLayout(Layout layout) {
        StringBuilder sb = new StringBuilder(layout.size() * 60 + 64);
        JsonWriter w = new JsonWriter(sb);
        w.beginObject().field("format", LAYOUT_FORMAT);
        writeLayoutFields(w, layout);
        w.endObject();
        return sb.append('\n').toString();
    }

    public static Layout readLayout(String json) {
        JsonNode root = JsonNode.root(JsonParser.parse(json));
        root.object(LAYOUT_DOCUMENT_FIELDS);
        checkFormat(root, LAYOUT_FORMAT);
        return readLayoutBody(root, LAYOUT_DOCUMENT_FIELDS);
    }

    private static void checkFormat(JsonNode root, String expected) {
        JsonNode format = root.required("format");
        if (!expected.equals(format.string())) {
            throw format.fail("'" + format.string() + "' (expected: " + expected + ")");
        }
    }

    private static void writeNode(JsonWriter w, GraphNode n) {
        w.beginInlineObject().field("id", n.id()).field("kind", n.kind().name());
        if (!n.label().equals(n.id())) {
            w.field("label", n.label());
        }
        w.field("namespace", n.namespace()).field("service", n.service()).field("version", n.version())
                .field("health", n.health().name()).field("mtls", n.mtls().name());
        if (!n.badges().isEmpty()) {
            w.name("badges").beginInlineArray();
            for (Badge b : n.badges()) {
                w.value(b.name());
            }
            w.endArray();
        }
        w.endObject();
    }

    private static GraphNode readNode(JsonNode n) {
        n.object(NODE_FIELDS);
        String id = n.required("id").string();
        NodeKind kind = n.required("kind").enumValue(NodeKind.class);
        String label = optionalString(n, "label");
        String namespace = optionalString(n, "namespace");
        String service = optionalString(n, "service");
        String version = optionalString(n, "version");
        JsonNode h = n.optional("health");
        JsonNode m = n.optional("mtls");
        EnumSet<Badge> badges = EnumSet.noneOf(Badge.class);
        JsonNode b = n.optional("badges");
        if (b != null) {
            for (JsonNode badge : b.array()) {
                badges.add(badge.enumValue(Badge.class));
            }
        }
        try {
            return new GraphNode(id, kind, label, namespace, service, version,
                    h == null ? null : h.enumValue(Health.class), m == null ? null : m.enumValue(MtlsState.class), badges);
        } catch (IllegalArgumentException ex) {
            throw n.fail(ex.getMessage());
        }
    }

    private static void writeEdge(JsonWriter w, GraphEdge e) {
        EdgeMetrics m = e.metrics();
        w.beginInlineObject().field("id", e.id()).field("source", e.source()).field("target", e.target())
                .field("protocol", e.protocol().name());
        w.name("metrics").beginInlineObject().field("requestsPerSecond", m.requestsPerSecond())
                .field("successRate", m.successRate()).field("p50Ms", m.p50Ms()).field("p90Ms", m.p90Ms())
                .field("p99Ms", m.p99Ms()).endObject();
        w.field("mtlsShare", e.mtlsShare());
        if (e.splitWeight() != null) {
            w.field("splitWeight", e.splitWeight());
        }
        w.endObject();
    }

    private static GraphEdge readEdge(JsonNode e) {
        e.object(EDGE_FIELDS);
        String source = e.required("source").string();
        String target = e.required("target").string();
        JsonNode idNode = e.optional("id");
        String id = idNode == null ? GraphEdge.defaultId(source, target) : idNode.string();
        JsonNode p = e.optional("protocol");
        EdgeMetrics metrics = EdgeMetrics.NONE;
        JsonNode m = e.optional("metrics");
        if (m != null) {
            m.object(METRICS_FIELDS);
            double rps = m.required("requestsPerSecond").number();
            double success = m.required("successRate").number();
            double p50 = optionalNumber(m, "p50Ms", 0);
            double p90 = optionalNumber(m, "p90Ms", p50);
            double p99 = optionalNumber(m, "p99Ms", p90);
            try {
                metrics = new EdgeMetrics(rps, success, p50, p90, p99);
            } catch (IllegalArgumentException ex) {
                throw m.fail(ex.getMessage());
            }
        }
        double share = optionalNumber(e, "mtlsShare", 0);
        JsonNode split = e.optional("splitWeight");
        try {
            return new GraphEdge(id, source, target, p == null ? null : p.enumValue(Protocol.class), metrics, share,
                    split == null ? null : split.number());
        } catch (IllegalArgumentException ex) {
            throw e.fail(ex.getMessage());
        }
    }

    private static void writeLayoutBody(JsonWriter w, Layout layout) {
        w.beginObject();
        writeLayoutFields(w, layout);
        w.endObject();
    }

    private static void writeLayoutFields(JsonWriter w, Layout layout) {
        w.name("positions").beginObject();
        for (Map.Entry<String, Point> e : layout.positions().entrySet()) {
            w.name(e.getKey()).beginInlineObject().field("x", e.getValue().x()).field("y", e.getValue().y())
                    .endObject();
        }
        w.endObject();
        w.name("pinned").beginInlineArray();
        for (String id : layout.pinned()) {
            w.value(id);
        }
        w.endArray();
    }

    private static Layout readLayoutBody(JsonNode node, Set<String> allowed) {
        node.object(allowed);
        Map<String, Point> positions = new LinkedHashMap<>();
        JsonNode p = node.optional("positions");
        if (p != null) {
            if (!(p.value() instanceof Map<?, ?> byId)) {
                throw p.fail("(expected: an object of node id to {\"x\": ..., \"y\": ...})");
            }
            for (Map.Entry<?, ?> e : byId.entrySet()) {
                JsonNode at = p.child((String) e.getKey(), e.getValue());
                at.object(POINT_FIELDS);
                double x = at.required("x").number();
                double y = at.required("y").number();
                try {
                    positions.put((String) e.getKey(), new Point(x, y));
                } catch (IllegalArgumentException ex) {
                    throw at.fail(ex.getMessage());
                }
            }
        }
        Set<String> pinned = new LinkedHashSet<>();
        JsonNode pins = node.optional("pinned");
        if (pins != null) {
            for (JsonNode id : pins.array()) {
                if (!positions.containsKey(id.string())) {
                    throw id.fail("'" + id.string() + "' is pinned but has no position");
                }
                pinned.add(id.string());
            }
        }
        return new Layout(positions, pinned);
    }

    private static String optionalString(JsonNode n, String name) {
        JsonNode v = n.optional(name);
        return v == null ? null : v.string();
    }

    private static double optionalNumber(JsonNode n, String name, double fallback) {
        JsonNode v = n.optional(name);
        return v == null ? fallback : v.number();
    }
}
