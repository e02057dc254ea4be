package dev.meshdeck.viz.io;

import dev.meshdeck.viz.layout.Layout;
import dev.meshdeck.viz.model.TopologyGraph;

import java.util.Objects;

/** What a topology JSON file holds: a graph and its layout (possibly empty or partial). */
public record TopologyDocument(TopologyGraph graph, Layout layout) {

    public TopologyDocument {
        Objects.requireNonNull(graph, "graph");
        layout = layout == null ? Layout.EMPTY : layout;
        for (String id : layout.positions().keySet()) {
            if (!graph.containsNode(id)) {
                throw new IllegalArgumentException("layout position for '" + id + "', which is not a node of the graph");
            }
        }
    }
}
