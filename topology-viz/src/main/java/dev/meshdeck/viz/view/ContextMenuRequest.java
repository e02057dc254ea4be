package dev.meshdeck.viz.view;

import dev.meshdeck.viz.model.GraphEdge;
import dev.meshdeck.viz.model.GraphNode;

/**
 * The user asked for a context menu (right click, or the keyboard's menu key) at screen point
 * {@code (screenX, screenY)}: on {@code node}, on {@code edge}, or on the background when both are null.
 */
public record ContextMenuRequest(GraphNode node, GraphEdge edge, double screenX, double screenY) {
}
