package dev.meshdeck.viz.view;

import dev.meshdeck.viz.layout.Rect;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Finds what is under a world point: a split-bar handle, a node, or an edge near it. A uniform grid of
 * {@link #CELL} world units indexes node boxes and edge segments, so a query looks at one cell (or the few
 * an edge tolerance reaches) instead of every element: constant time whatever the size of the graph.
 */
public final class HitTester {

    /** Hit under a point: a handle of a split bar. */
    public record HandleHit(SplitBar bar, int handle) {
    }

    static final double CELL = 160;

    private final SceneModel scene;
    private final Map<Long, int[]> nodeCells = new HashMap<>();
    private final Map<Long, int[]> edgeCells = new HashMap<>();

    HitTester(SceneModel scene) {
        this.scene = scene;
        int n = scene.graph().nodeCount();
        for (int i = 0; i < n; i++) {
            if (!scene.isPlaced(i)) {
                continue;
            }
            double x = scene.nodeBox[4 * i];
            double y = scene.nodeBox[4 * i + 1];
            double w = scene.nodeBox[4 * i + 2];
            double h = scene.nodeBox[4 * i + 3];
            for (long cx = cell(x); cx <= cell(x + w); cx++) {
                for (long cy = cell(y); cy <= cell(y + h); cy++) {
                    add(nodeCells, key(cx, cy), i);
                }
            }
        }
        int m = scene.graph().edgeCount();
        for (int e = 0; e < m; e++) {
            if (!scene.isLine(e)) {
                continue;
            }
            double x1 = scene.edgeLine[4 * e];
            double y1 = scene.edgeLine[4 * e + 1];
            double x2 = scene.edgeLine[4 * e + 2];
            double y2 = scene.edgeLine[4 * e + 3];
            // walk the segment in steps of half a cell, marking every cell it passes
            int steps = 1 + (int) Math.ceil(Math.hypot(x2 - x1, y2 - y1) / (CELL / 2));
            long lastKey = Long.MIN_VALUE;
            for (int k = 0; k <= steps; k++) {
                double t = (double) k / steps;
                long cx = cell(x1 + (x2 - x1) * t);
                long cy = cell(y1 + (y2 - y1) * t);
                long key = key(cx, cy);
                if (key != lastKey) {
                    add(edgeCells, key, e);
                    // the neighbours a diagonal step may skip
                    add(edgeCells, key(cx + 1, cy), e);
                    add(edgeCells, key(cx, cy + 1), e);
                    lastKey = key;
                }
            }
        }
        trim(nodeCells);
        trim(edgeCells);
    }

    /** The index of the node whose box holds world point (x, y), the last drawn (topmost) first; or -1. */
    public int nodeAt(double x, double y) {
        return nodeAt(x, y, i -> true);
    }

    /** Like {@link #nodeAt(double, double)}, among the nodes {@code visible} accepts. */
    public int nodeAt(double x, double y, IntPredicate visible) {
        int[] candidates = nodeCells.get(key(cell(x), cell(y)));
        if (candidates == null) {
            return -1;
        }
        int best = -1;
        for (int i : candidates) {
            if (i < 0) {
                break;
            }
            double[] b = scene.nodeBox;
            if (x >= b[4 * i] && x <= b[4 * i] + b[4 * i + 2] && y >= b[4 * i + 1] && y <= b[4 * i + 1] + b[4 * i + 3]
                    && visible.test(i) && i > best) {
                best = i;
            }
        }
        return best;
    }

    /** The index of the edge drawn nearest world point (x, y) within {@code tolerance} world units, or -1. */
    public int edgeNear(double x, double y, double tolerance) {
        return edgeNear(x, y, tolerance, e -> true);
    }

    /** Like {@link #edgeNear(double, double, double)}, among the edges {@code visible} accepts. */
    public int edgeNear(double x, double y, double tolerance, IntPredicate visible) {
        int best = -1;
        double bestDistance = tolerance;
        long reach = Math.max(0, (long) Math.ceil(tolerance / CELL));
        for (long cx = cell(x) - reach; cx <= cell(x) + reach; cx++) {
            for (long cy = cell(y) - reach; cy <= cell(y) + reach; cy++) {
                int[] candidates = edgeCells.get(key(cx, cy));
                if (candidates == null) {
                    continue;
                }
                for (int e : candidates) {
                    if (e < 0) {
                        break;
                    }
                    double[] l = scene.edgeLine;
                    double d = distanceToSegment(x, y, l[4 * e], l[4 * e + 1], l[4 * e + 2], l[4 * e + 3]);
                    if (d <= bestDistance && visible.test(e)) {
                        best = e;
                        bestDistance = d;
                    }
                }
            }
        }
        return best;
    }

    /** The split-bar handle at world point (x, y), or {@code null}. */
    public HandleHit handleAt(double x, double y) {
        int i = nodeAt(x, y);
        if (i < 0) {
            return null;
        }
        SplitBar bar = scene.splitBarOf(scene.graph().nodeAt(i).id());
        if (bar == null) {
            return null;
        }
        int h = bar.handleAt(x, y);
        return h < 0 ? null : new HandleHit(bar, h);
    }

    /** The indexes of the nodes whose boxes meet {@code area}, in no particular order (for culling tests). */
    public int[] nodesIn(Rect area) {
        boolean[] seen = new boolean[scene.graph().nodeCount()];
        int[] out = new int[16];
        int count = 0;
        for (long cx = cell(area.minX()); cx <= cell(area.maxX()); cx++) {
            for (long cy = cell(area.minY()); cy <= cell(area.maxY()); cy++) {
                int[] candidates = nodeCells.get(key(cx, cy));
                if (candidates == null) {
                    continue;
                }
                for (int i : candidates) {
                    if (i < 0) {
                        break;
                    }
                    if (!seen[i] && scene.nodeBox(i).intersects(area)) {
                        seen[i] = true;
                        if (count == out.length) {
                            out = Arrays.copyOf(out, count * 2);
                        }
                        out[count++] = i;
                    }
                }
            }
        }
        return Arrays.copyOf(out, count);
    }

    static double distanceToSegment(double px, double py, double x1, double y1, double x2, double y2) {
        double dx = x2 - x1;
        double dy = y2 - y1;
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / len2));
        return Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy));
    }

    private static long cell(double v) {
        return (long) Math.floor(v / CELL);
    }

    private static long key(long cx, long cy) {
        return (cx << 32) ^ (cy & 0xFFFFFFFFL);
    }

    /** Appends {@code value} to the cell's array; unused slots hold -1. */
    private static void add(Map<Long, int[]> cells, long key, int value) {
        int[] a = cells.get(key);
        if (a == null) {
            a = new int[4];
            Arrays.fill(a, -1);
            cells.put(key, a);
        }
        int free = 0;
        while (free < a.length && a[free] >= 0) {
            if (a[free] == value) {
                return;
            }
            free++;
        }
        if (free == a.length) {
            a = Arrays.copyOf(a, a.length * 2);
            Arrays.fill(a, free, a.length, -1);
            cells.put(key, a);
        }
        a[free] = value;
    }

    private static void trim(Map<Long, int[]> cells) {
        cells.replaceAll((k, a) -> {
            int used = 0;
            while (used < a.length && a[used] >= 0) {
                used++;
            }
            return used == a.length ? a : Arrays.copyOf(a, used);
        });
    }
}
