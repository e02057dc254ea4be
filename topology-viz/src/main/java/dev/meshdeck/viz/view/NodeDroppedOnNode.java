package dev.meshdeck.viz.view;

import dev.meshdeck.viz.model.GraphNode;

import java.util.Objects;

/** The user dragged node {@code source} and dropped it on node {@code target} (the raw material of a traffic shift). */
public record NodeDroppedOnNode(GraphNode source, GraphNode target) {

    public NodeDroppedOnNode {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }
}
