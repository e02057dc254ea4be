package dev.meshdeck.viz.layout;

import dev.meshdeck.viz.model.TopologyGraph;

/**
 * A pure, deterministic layout: the same graph and previous layout give the same result, bit for bit.
 *
 * <p>Stability contract: a node of {@code graph} that has a position in {@code previous} keeps exactly that
 * position (pinned or not); only nodes without one are placed, in free space. To lay a graph out afresh
 * while keeping the nodes the user dragged, pass {@code previous.retainPinned()}; to ignore everything,
 * {@link Layout#EMPTY}. The result has a position for every node of {@code graph} and for no other node,
 * and keeps the pins of {@code previous} that are still in the graph.
 */
@FunctionalInterface
public interface LayoutAlgorithm {

    Layout layout(TopologyGraph graph, Layout previous);
}
