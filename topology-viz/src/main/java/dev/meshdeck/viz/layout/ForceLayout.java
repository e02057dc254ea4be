package dev.meshdeck.viz.layout;

import dev.meshdeck.viz.layout.internal.Blocks;
import dev.meshdeck.viz.layout.internal.FreeSpace;
import dev.meshdeck.viz.layout.internal.NewMembers;
import dev.meshdeck.viz.model.TopologyGraph;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A force-directed layout (Fruchterman–Reingold): connected blocks attract, all blocks repel, with the
 * repulsion cut off beyond a few ideal edge lengths and found through a uniform grid, so an iteration costs
 * about O(n + e) instead of O(n²). As in {@link LayeredLayout}, a service and its versions move as one
 * block.
 *
 * <p>Deterministic: the start positions come from a seeded generator, the iteration count is fixed, and
 * the loops run in graph order, so the same input gives the same output bit for bit. Stable: blocks with a
 * previous position stay fixed (they still push and pull the new ones); new blocks start next to their
 * placed neighbours. Namespaces are not kept apart: their boxes may overlap.
 */
public final class ForceLayout implements LayoutAlgorithm {

    /** Parameters of the simulation. */
    public record Options(int iterations, long seed, double idealDistance) {
        public static final Options DEFAULT = new Options(200, 42, 200);

        public Options {
            if (iterations < 0 || !(idealDistance > 0)) {
                throw new IllegalArgumentException("force layout options: iterations " + iterations
                        + ", idealDistance " + idealDistance + " (expected: iterations >= 0, idealDistance > 0)");
            }
        }
    }

    private static final double CUTOFF = 2.5; // repulsion reaches this many ideal distances
    private static final int MAX_GRID = 256;
    private static final double GRAVITY = 0.005;
    private static final int OVERLAP_ROUNDS = 30;
    private static final double GAP = 12;

    private final NodeSizing sizing;
    private final Options options;

    public ForceLayout() {
        this(NodeSizing.DEFAULT, Options.DEFAULT);
    }

    public ForceLayout(NodeSizing sizing, Options options) {
        this.sizing = Objects.requireNonNull(sizing, "sizing");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public Layout layout(TopologyGraph graph, Layout previous) {
        Blocks blocks = new Blocks(graph, sizing);
        int c = blocks.count;
        Point[] at = new Point[graph.nodeCount()];
        FreeSpace free = new FreeSpace(Blocks.INNER_GAP);
        for (int i = 0; i < at.length; i++) {
            at[i] = previous.positions().get(graph.nodeAt(i).id());
            if (at[i] != null) {
                free.add(Rect.centeredAt(at[i], sizing.sizeOf(graph.nodeAt(i))));
            }
        }
        double[] x = new double[c];
        double[] y = new double[c];
        boolean[] fixed = new boolean[c];
        int fixedCount = 0;
        for (int b = 0; b < c; b++) {
            Point h = at[blocks.head[b]];
            if (h != null) {
                fixed[b] = true;
                fixedCount++;
                x[b] = blocks.centerXFromHead(b, h.x());
                y[b] = blocks.centerYFromHead(b, h.y());
            }
        }
        if (fixedCount < c) {
            simulate(blocks, x, y, fixed);
            removeOverlaps(blocks, x, y, fixed);
        }
        for (int b = 0; b < c; b++) {
            if (fixed[b]) {
                NewMembers.place(graph, blocks, sizing, b, at, free);
            } else {
                int[] mem = blocks.members[b];
                double[] off = blocks.offsets[b];
                for (int j = 0; j < mem.length; j++) {
                    if (at[mem[j]] == null) {
                        at[mem[j]] = new Point(x[b] + off[2 * j], y[b] + off[2 * j + 1]);
                    }
                }
            }
        }
        Map<String, Point> positions = new LinkedHashMap<>(graph.nodeCount() * 2);
        Set<String> pinned = new LinkedHashSet<>();
        for (int i = 0; i < at.length; i++) {
            String id = graph.nodeAt(i).id();
            positions.put(id, at[i]);
            if (previous.isPinned(id)) {
                pinned.add(id);
            }
        }
        return new Layout(positions, pinned);
    }

    private void simulate(Blocks blocks, double[] x, double[] y, boolean[] fixed) {
        int c = blocks.count;
        double k = options.idealDistance();
        SplittableRandom random = new SplittableRandom(options.seed());
        double spread = k * Math.sqrt(c);
        // start: next to placed neighbours if any, else at random in a square sized for the graph
        for (int b = 0; b < c; b++) {
            if (fixed[b]) {
                continue;
            }
            double sx = 0;
            double sy = 0;
            int n = 0;
            for (int[] side : new int[][] {blocks.pred[b], blocks.succ[b]}) {
                for (int w : side) {
                    if (fixed[w] || w < b) {
                        sx += x[w];
                        sy += y[w];
                        n++;
                    }
                }
            }
            if (n > 0) {
                x[b] = sx / n + (random.nextDouble() - 0.5) * k;
                y[b] = sy / n + (random.nextDouble() - 0.5) * k;
            } else {
                x[b] = random.nextDouble() * spread;
                y[b] = random.nextDouble() * spread;
            }
        }
        double[] dx = new double[c];
        double[] dy = new double[c];
        double[] radius = new double[c];
        for (int b = 0; b < c; b++) {
            radius[b] = Math.hypot(blocks.width[b], blocks.height[b]) / 2;
        }
        int[] cellOf = new int[c];
        int[] order = new int[c];
        double cutoff = CUTOFF * k;
        double cutoff2 = cutoff * cutoff;
        double temperature = spread / 10;
        int iterations = options.iterations();
        for (int it = 0; it < iterations; it++) {
            Arrays.fill(dx, 0);
            Arrays.fill(dy, 0);
            // grid of cells at least `cutoff` wide over the current bounds
            double minX = Double.POSITIVE_INFINITY;
            double minY = Double.POSITIVE_INFINITY;
            double maxX = Double.NEGATIVE_INFINITY;
            double maxY = Double.NEGATIVE_INFINITY;
            for (int b = 0; b < c; b++) {
                minX = Math.min(minX, x[b]);
                minY = Math.min(minY, y[b]);
                maxX = Math.max(maxX, x[b]);
                maxY = Math.max(maxY, y[b]);
            }
            double cell = Math.max(cutoff, Math.max(maxX - minX, maxY - minY) / MAX_GRID);
            int cols = (int) ((maxX - minX) / cell) + 1;
            int rows = (int) ((maxY - minY) / cell) + 1;
            int[] start = new int[cols * rows + 1];
            for (int b = 0; b < c; b++) {
                int cx = (int) ((x[b] - minX) / cell);
                int cy = (int) ((y[b] - minY) / cell);
                cellOf[b] = cy * cols + cx;
                start[cellOf[b] + 1]++;
            }
            for (int i = 0; i < cols * rows; i++) {
                start[i + 1] += start[i];
            }
            int[] fill = Arrays.copyOf(start, start.length);
            for (int b = 0; b < c; b++) {
                order[fill[cellOf[b]]++] = b;
            }
            // repulsion between blocks in neighbouring cells, within the cutoff, measured between borders
            for (int b = 0; b < c; b++) {
                if (fixed[b]) {
                    continue;
                }
                int cx = cellOf[b] % cols;
                int cy = cellOf[b] / cols;
                for (int ny = Math.max(0, cy - 1); ny <= Math.min(rows - 1, cy + 1); ny++) {
                    for (int nx = Math.max(0, cx - 1); nx <= Math.min(cols - 1, cx + 1); nx++) {
                        int cellIndex = ny * cols + nx;
                        for (int p = start[cellIndex]; p < start[cellIndex + 1]; p++) {
                            int o = order[p];
                            if (o == b) {
                                continue;
                            }
                            double ddx = x[b] - x[o];
                            double ddy = y[b] - y[o];
                            double d2 = ddx * ddx + ddy * ddy;
                            if (d2 >= cutoff2) {
                                continue;
                            }
                            double d = Math.sqrt(d2);
                            if (d < 1e-6) {
                                // coincident: push apart along a direction fixed by the pair's order
                                ddx = b < o ? 1 : -1;
                                ddy = 0;
                                d = 1;
                            }
                            double gapDistance = Math.max(1, d - radius[b] - radius[o] + k / 4);
                            double f = k * k / gapDistance;
                            dx[b] += ddx / d * f;
                            dy[b] += ddy / d * f;
                        }
                    }
                }
            }
            // attraction along call edges (each pair once, both ends)
            for (int b = 0; b < c; b++) {
                for (int w : blocks.succ[b]) {
                    double ddx = x[b] - x[w];
                    double ddy = y[b] - y[w];
                    double d = Math.sqrt(ddx * ddx + ddy * ddy);
                    if (d < 1e-9 || fixed[b] && fixed[w]) {
                        continue;
                    }
                    double f = d * d / k;
                    double fx = ddx / d * f;
                    double fy = ddy / d * f;
                    dx[b] -= fx;
                    dy[b] -= fy;
                    dx[w] += fx;
                    dy[w] += fy;
                }
            }
            // weak gravity towards the centre keeps loose parts from drifting off
            double gx = (minX + maxX) / 2;
            double gy = (minY + maxY) / 2;
            for (int b = 0; b < c; b++) {
                dx[b] -= GRAVITY * (x[b] - gx);
                dy[b] -= GRAVITY * (y[b] - gy);
            }
            // move, limited by the temperature, which falls linearly to a small floor
            double t = temperature * (1 - (double) it / iterations) + k / 100;
            for (int b = 0; b < c; b++) {
                if (fixed[b]) {
                    continue;
                }
                double len = Math.sqrt(dx[b] * dx[b] + dy[b] * dy[b]);
                if (len > 0) {
                    double step = Math.min(len, t);
                    x[b] += dx[b] / len * step;
                    y[b] += dy[b] / len * step;
                }
            }
        }
    }

    /**
     * Pushes overlapping blocks apart along the axis where they overlap least (a fixed block does not
     * move; two free ones share the move), for a bounded number of rounds.
     */
    private static void removeOverlaps(Blocks blocks, double[] x, double[] y, boolean[] fixed) {
        int c = blocks.count;
        double cell = 1;
        for (int b = 0; b < c; b++) {
            cell = Math.max(cell, Math.max(blocks.width[b], blocks.height[b]) + GAP);
        }
        int[] cellX = new int[c];
        int[] cellY = new int[c];
        Integer[] order = new Integer[c];
        for (int round = 0; round < OVERLAP_ROUNDS; round++) {
            boolean moved = false;
            for (int b = 0; b < c; b++) {
                cellX[b] = (int) Math.floor(x[b] / cell);
                cellY[b] = (int) Math.floor(y[b] / cell);
                order[b] = b;
            }
            // sweep in cell order; a pair can only overlap if its cells are neighbours
            final double[] fx = x;
            Arrays.sort(order, (a, b) -> cellX[a] != cellX[b] ? Integer.compare(cellX[a], cellX[b])
                    : cellY[a] != cellY[b] ? Integer.compare(cellY[a], cellY[b]) : Integer.compare(a, b));
            for (int i = 0; i < c; i++) {
                int a = order[i];
                for (int j = i + 1; j < c; j++) {
                    int b = order[j];
                    if (cellX[b] > cellX[a] + 1) {
                        break;
                    }
                    if (Math.abs(cellY[b] - cellY[a]) > 1 || fixed[a] && fixed[b]) {
                        continue;
                    }
                    double ox = (blocks.width[a] + blocks.width[b]) / 2 + GAP - Math.abs(fx[a] - fx[b]);
                    double oy = (blocks.height[a] + blocks.height[b]) / 2 + GAP - Math.abs(y[a] - y[b]);
                    if (ox <= 0 || oy <= 0) {
                        continue;
                    }
                    moved = true;
                    double shareA = fixed[a] ? 0 : fixed[b] ? 1 : 0.5;
                    double shareB = 1 - shareA;
                    if (ox < oy) {
                        double dir = x[a] < x[b] || x[a] == x[b] && a < b ? -1 : 1;
                        x[a] += dir * ox * shareA;
                        x[b] -= dir * ox * shareB;
                    } else {
                        double dir = y[a] < y[b] || y[a] == y[b] && a < b ? -1 : 1;
                        y[a] += dir * oy * shareA;
                        y[b] -= dir * oy * shareB;
                    }
                }
            }
            if (!moved) {
                return;
            }
        }
    }
}
