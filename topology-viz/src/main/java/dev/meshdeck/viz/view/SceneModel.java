package dev.meshdeck.viz.view;

import dev.meshdeck.viz.layout.GroupBoxes;
import dev.meshdeck.viz.layout.Layout;
import dev.meshdeck.viz.layout.NodeSize;
import dev.meshdeck.viz.layout.NodeSizing;
import dev.meshdeck.viz.layout.Point;
import dev.meshdeck.viz.layout.Rect;
import dev.meshdeck.viz.model.GraphEdge;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.TopologyGraph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The world geometry of one graph in one layout, computed once and shared by drawing, hit-testing and
 * export: node boxes, edge end points (clipped to the boxes), the group boxes, the split bars, and a
 * spatial index. A node without a position is not drawn.
 *
 * <p>An edge from a service to one of its own versions is a split, not a call: it is drawn as the
 * service's {@link SplitBar} (when the service has two versions or more) rather than as a line.
 */
public final class SceneModel {

    private final TopologyGraph graph;
    private final Layout layout;
    private final NodeSizing sizing;
    /** minX, minY, width, height of each node, by node index; NaN for a node without a position. */
    final double[] nodeBox;
    /** x1, y1, x2, y2 of each edge, by edge index; NaN for an edge that is not drawn as a line. */
    final double[] edgeLine;
    private final Map<String, Rect> namespaceBoxes;
    private final Map<String, Rect> serviceBoxes;
    private final List<SplitBar> splitBars;
    private final Map<String, SplitBar> splitBarOf;
    private final Rect bounds;
    private final HitTester hitTester;

    public SceneModel(TopologyGraph graph, Layout layout, NodeSizing sizing) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.sizing = Objects.requireNonNull(sizing, "sizing");
        int n = graph.nodeCount();
        nodeBox = new double[4 * n];
        for (int i = 0; i < n; i++) {
            Point p = layout.positions().get(graph.nodeAt(i).id());
            NodeSize size = sizing.sizeOf(graph.nodeAt(i));
            nodeBox[4 * i] = p == null ? Double.NaN : p.x() - size.width() / 2;
            nodeBox[4 * i + 1] = p == null ? Double.NaN : p.y() - size.height() / 2;
            nodeBox[4 * i + 2] = size.width();
            nodeBox[4 * i + 3] = size.height();
        }
        int m = graph.edgeCount();
        edgeLine = new double[4 * m];
        for (int e = 0; e < m; e++) {
            int s = graph.sourceIndex(e);
            int t = graph.targetIndex(e);
            if (!isPlaced(s) || !isPlaced(t) || s == t || graph.parentIndex(t) == s) {
                edgeLine[4 * e] = Double.NaN;
                continue;
            }
            clipBetween(s, t, e);
        }
        namespaceBoxes = Collections.unmodifiableMap(GroupBoxes.namespaces(graph, layout, sizing));
        serviceBoxes = Collections.unmodifiableMap(GroupBoxes.services(graph, layout, sizing));
        splitBars = List.copyOf(buildSplitBars());
        Map<String, SplitBar> byService = new HashMap<>();
        for (SplitBar b : splitBars) {
            byService.put(b.serviceId(), b);
        }
        splitBarOf = byService;
        Rect r = layout.bounds(graph, sizing);
        for (Rect box : namespaceBoxes.values()) {
            r = r == null ? box : r.union(box);
        }
        bounds = r;
        hitTester = new HitTester(this);
    }

    public TopologyGraph graph() {
        return graph;
    }

    public Layout layout() {
        return layout;
    }

    public NodeSizing sizing() {
        return sizing;
    }

    /** The box of everything drawn, or {@code null} for an empty scene. */
    public Rect bounds() {
        return bounds;
    }

    public boolean isPlaced(int nodeIndex) {
        return !Double.isNaN(nodeBox[4 * nodeIndex]);
    }

    /** The box of node number {@code nodeIndex}, or {@code null} if it has no position. */
    public Rect nodeBox(int nodeIndex) {
        return isPlaced(nodeIndex) ? new Rect(nodeBox[4 * nodeIndex], nodeBox[4 * nodeIndex + 1],
                nodeBox[4 * nodeIndex + 2], nodeBox[4 * nodeIndex + 3]) : null;
    }

    /** Whether edge number {@code edgeIndex} is drawn as a line. */
    public boolean isLine(int edgeIndex) {
        return !Double.isNaN(edgeLine[4 * edgeIndex]);
    }

    public Map<String, Rect> namespaceBoxes() {
        return namespaceBoxes;
    }

    public Map<String, Rect> serviceBoxes() {
        return serviceBoxes;
    }

    public List<SplitBar> splitBars() {
        return splitBars;
    }

    /** The split bar of service {@code serviceId}, or {@code null}. */
    public SplitBar splitBarOf(String serviceId) {
        return splitBarOf.get(serviceId);
    }

    public HitTester hitTester() {
        return hitTester;
    }

    /** The same layout with new metrics or status (same structure), reusing the geometry. */
    public SceneModel withGraph(TopologyGraph updated) {
        if (!updated.sameStructureAs(graph)) {
            return new SceneModel(updated, layout.restrictTo(updated), sizing);
        }
        return new SceneModel(updated, layout, sizing);
    }

    private void clipBetween(int s, int t, int e) {
        double sx = nodeBox[4 * s] + nodeBox[4 * s + 2] / 2;
        double sy = nodeBox[4 * s + 1] + nodeBox[4 * s + 3] / 2;
        double tx = nodeBox[4 * t] + nodeBox[4 * t + 2] / 2;
        double ty = nodeBox[4 * t + 1] + nodeBox[4 * t + 3] / 2;
        double dx = tx - sx;
        double dy = ty - sy;
        double fs = exitFraction(dx, dy, nodeBox[4 * s + 2] / 2, nodeBox[4 * s + 3] / 2);
        double ft = exitFraction(dx, dy, nodeBox[4 * t + 2] / 2, nodeBox[4 * t + 3] / 2);
        if (fs + ft >= 1) { // overlapping boxes: centre to centre
            fs = 0;
            ft = 0;
        }
        edgeLine[4 * e] = sx + dx * fs;
        edgeLine[4 * e + 1] = sy + dy * fs;
        edgeLine[4 * e + 2] = tx - dx * ft;
        edgeLine[4 * e + 3] = ty - dy * ft;
    }

    /** The fraction of the vector (dx, dy) from a box centre at which it leaves a box of half sizes hw, hh. */
    private static double exitFraction(double dx, double dy, double hw, double hh) {
        double fx = dx == 0 ? Double.POSITIVE_INFINITY : hw / Math.abs(dx);
        double fy = dy == 0 ? Double.POSITIVE_INFINITY : hh / Math.abs(dy);
        double f = Math.min(fx, fy);
        return Double.isInfinite(f) ? 0 : f;
    }

    private List<SplitBar> buildSplitBars() {
        List<SplitBar> bars = new ArrayList<>();
        for (int i = 0; i < graph.nodeCount(); i++) {
            if (!isPlaced(i)) {
                continue;
            }
            GraphNode service = graph.nodeAt(i);
            List<String> versions = new ArrayList<>();
            List<Double> weights = new ArrayList<>();
            for (GraphEdge edge : graph.outgoing(service.id())) {
                int t = graph.indexOf(edge.target());
                if (graph.parentIndex(t) == i && edge.splitWeight() != null) {
                    GraphNode w = graph.nodeAt(t);
                    versions.add(w.version() != null ? w.version() : w.id());
                    weights.add(edge.splitWeight());
                }
            }
            if (versions.size() >= 2) {
                double x = nodeBox[4 * i];
                double y = nodeBox[4 * i + 1];
                double w = nodeBox[4 * i + 2];
                double h = nodeBox[4 * i + 3];
                double[] ws = weights.stream().mapToDouble(Double::doubleValue).toArray();
                bars.add(new SplitBar(service.id(), new Rect(x + 10, y + h - 9, w - 20, 5), versions, ws));
            }
        }
        return bars;
    }
}
