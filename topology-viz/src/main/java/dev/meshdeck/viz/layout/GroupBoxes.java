package dev.meshdeck.viz.layout;

import dev.meshdeck.viz.layout.internal.Blocks;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.NodeKind;
import dev.meshdeck.viz.model.TopologyGraph;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The boxes drawn around groups, computed from a layout: a service's box holds the service node and its
 * versions; a namespace's box holds every node of the namespace. Both have a margin around their nodes.
 */
public final class GroupBoxes {

    /** Margin of a namespace box around its nodes (room for its title). */
    public static final double NAMESPACE_MARGIN = 20;

    private GroupBoxes() {
    }

    /** The box of each service node that has versions, by service id, in graph order. */
    public static Map<String, Rect> services(TopologyGraph graph, Layout layout, NodeSizing sizing) {
        Map<String, Rect> boxes = new LinkedHashMap<>();
        for (int i = 0; i < graph.nodeCount(); i++) {
            int p = graph.parentIndex(i);
            Point at = layout.positions().get(graph.nodeAt(i).id());
            if (p < 0 || at == null) {
                continue;
            }
            GraphNode service = graph.nodeAt(p);
            Rect r = Rect.centeredAt(at, sizing.sizeOf(graph.nodeAt(i))).grow(Blocks.PADDING);
            Rect box = boxes.get(service.id());
            if (box == null) {
                Point s = layout.positions().get(service.id());
                box = s == null ? r : Rect.centeredAt(s, sizing.sizeOf(service)).union(r);
            }
            boxes.put(service.id(), box.union(r));
        }
        return boxes;
    }

    /** The box of each namespace, by name, in name order; collapsed namespace nodes count as members. */
    public static Map<String, Rect> namespaces(TopologyGraph graph, Layout layout, NodeSizing sizing) {
        Map<String, Rect> boxes = new LinkedHashMap<>();
        for (String ns : graph.namespaces()) {
            Rect box = null;
            for (GraphNode n : graph.nodesIn(ns)) {
                Point at = layout.positions().get(n.id());
                if (at == null || n.kind() == NodeKind.NAMESPACE) {
                    continue;
                }
                Rect r = Rect.centeredAt(at, sizing.sizeOf(n));
                box = box == null ? r : box.union(r);
            }
            if (box != null) {
                boxes.put(ns, box.grow(NAMESPACE_MARGIN));
            }
        }
        return boxes;
    }
}
