package dev.meshdeck.viz.layout;

import dev.meshdeck.viz.model.TopologyGraph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where each node is: an immutable map from node id to the centre of its box, plus the ids of the nodes
 * the user pinned (dragged) — layouts never move those. Iteration order is insertion order, so a layout
 * saves to the same JSON every time.
 */
public record Layout(Map<String, Point> positions, Set<String> pinned) {

    public static final Layout EMPTY = new Layout(Map.of(), Set.of());

    public Layout {
        positions = Collections.unmodifiableMap(new LinkedHashMap<>(positions));
        pinned = Collections.unmodifiableSet(new LinkedHashSet<>(pinned));
        for (Map.Entry<String, Point> e : positions.entrySet()) {
            Objects.requireNonNull(e.getKey(), "node id");
            Objects.requireNonNull(e.getValue(), () -> "position of '" + e.getKey() + "'");
        }
        for (String id : pinned) {
            if (!positions.containsKey(id)) {
                throw new IllegalArgumentException("pinned node '" + id + "' has no position (expected: a pinned"
                        + " node to have one)");
            }
        }
    }

    /** A layout with these positions and nothing pinned. */
    public static Layout of(Map<String, Point> positions) {
        return new Layout(positions, Set.of());
    }

    public boolean contains(String id) {
        return positions.containsKey(id);
    }

    public boolean isPinned(String id) {
        return pinned.contains(id);
    }

    public Optional<Point> find(String id) {
        return Optional.ofNullable(positions.get(id));
    }

    /** @throws IllegalArgumentException if the node has no position */
    public Point position(String id) {
        Point p = positions.get(id);
        if (p == null) {
            throw new IllegalArgumentException("no position for node '" + id + "'");
        }
        return p;
    }

    public int size() {
        return positions.size();
    }

    public boolean isEmpty() {
        return positions.isEmpty();
    }

    /** This layout with node {@code id} at {@code at} (not pinned unless it already was). */
    public Layout withPosition(String id, Point at) {
        Map<String, Point> p = new LinkedHashMap<>(positions);
        p.put(Objects.requireNonNull(id, "id"), Objects.requireNonNull(at, "at"));
        return new Layout(p, pinned);
    }

    /** This layout with node {@code id} moved to {@code at} and pinned there (what a drag does). */
    public Layout pin(String id, Point at) {
        Set<String> s = new LinkedHashSet<>(pinned);
        s.add(id);
        return new Layout(withPosition(id, at).positions, s);
    }

    /** This layout with node {@code id} no longer pinned (it keeps its position until a fresh layout). */
    public Layout unpin(String id) {
        Set<String> s = new LinkedHashSet<>(pinned);
        s.remove(id);
        return new Layout(positions, s);
    }

    /** Only the pinned nodes: the starting point of a fresh layout that respects the user's drags. */
    public Layout retainPinned() {
        Map<String, Point> p = new LinkedHashMap<>();
        for (String id : pinned) {
            p.put(id, positions.get(id));
        }
        return new Layout(p, pinned);
    }

    /** Only the nodes that are in {@code graph}. */
    public Layout restrictTo(TopologyGraph graph) {
        Map<String, Point> p = new LinkedHashMap<>();
        Set<String> s = new LinkedHashSet<>();
        positions.forEach((id, at) -> {
            if (graph.containsNode(id)) {
                p.put(id, at);
                if (pinned.contains(id)) {
                    s.add(id);
                }
            }
        });
        return new Layout(p, s);
    }

    /** The positions in the order of {@code graph}'s nodes; {@code null} where a node has none. */
    public Point[] positionsByIndex(TopologyGraph graph) {
        Point[] result = new Point[graph.nodeCount()];
        for (int i = 0; i < result.length; i++) {
            result[i] = positions.get(graph.nodeAt(i).id());
        }
        return result;
    }

    /** The bounding box of the node boxes of {@code graph} in this layout, or {@code null} if none is placed. */
    public Rect bounds(TopologyGraph graph, NodeSizing sizing) {
        Rect r = null;
        for (int i = 0; i < graph.nodeCount(); i++) {
            Point p = positions.get(graph.nodeAt(i).id());
            if (p != null) {
                Rect box = Rect.centeredAt(p, sizing.sizeOf(graph.nodeAt(i)));
                r = r == null ? box : r.union(box);
            }
        }
        return r;
    }
}
