package dev.meshdeck.viz.view;

import java.util.Map;

/**
 * What the user is pointing at and doing, as far as drawing is concerned: the selected node or edge, the
 * hovered node or edge, the find query (matching nodes are highlighted), a node being dragged (drawn as a
 * ghost at {@code dragX, dragY} in world coordinates) and the weights of a split being dragged.
 */
public record ViewState(String selectedNode, String selectedEdge, String hoveredNode, String hoveredEdge,
                        String findQuery, String draggedNode, double dragX, double dragY,
                        String draggedSplit, Map<String, Double> draggedWeights) {

    public static final ViewState NONE = new ViewState(null, null, null, null, null, null, 0, 0, null, Map.of());

    public ViewState {
        findQuery = findQuery == null || findQuery.isBlank() ? null : findQuery.strip().toLowerCase(java.util.Locale.ROOT);
        draggedWeights = draggedWeights == null ? Map.of() : Map.copyOf(draggedWeights);
    }

    public ViewState withSelection(String node, String edge) {
        return new ViewState(node, edge, hoveredNode, hoveredEdge, findQuery, draggedNode, dragX, dragY,
                draggedSplit, draggedWeights);
    }

    public ViewState withHover(String node, String edge) {
        return new ViewState(selectedNode, selectedEdge, node, edge, findQuery, draggedNode, dragX, dragY,
                draggedSplit, draggedWeights);
    }

    public ViewState withFindQuery(String query) {
        return new ViewState(selectedNode, selectedEdge, hoveredNode, hoveredEdge, query, draggedNode, dragX, dragY,
                draggedSplit, draggedWeights);
    }

    public ViewState withNodeDrag(String node, double worldX, double worldY) {
        return new ViewState(selectedNode, selectedEdge, hoveredNode, hoveredEdge, findQuery, node, worldX, worldY,
                draggedSplit, draggedWeights);
    }

    public ViewState withSplitDrag(String service, Map<String, Double> weights) {
        return new ViewState(selectedNode, selectedEdge, hoveredNode, hoveredEdge, findQuery, draggedNode, dragX,
                dragY, service, weights);
    }
}
