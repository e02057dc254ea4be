package dev.meshdeck.viz.layout;

import dev.meshdeck.viz.layout.internal.Blocks;
import dev.meshdeck.viz.layout.internal.FreeSpace;
import dev.meshdeck.viz.layout.internal.Layering;
import dev.meshdeck.viz.layout.internal.NewMembers;
import dev.meshdeck.viz.layout.internal.Separation;
import dev.meshdeck.viz.model.GraphEdge;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.NamespaceCollapse;
import dev.meshdeck.viz.model.NodeKind;
import dev.meshdeck.viz.model.TopologyGraph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A layered (Sugiyama-style) layout, left to right in call direction.
 *
 * <p>A service and its versions move as one block (versions stacked inside the service's box). Each
 * namespace is a horizontal band of its own, so namespace boxes never overlap; external nodes and collapsed
 * groups ({@code NAMESPACE} nodes, which have no box around them) share a band below the namespaces, where
 * they are ordered like the nodes of any band. Cycles are broken by reversing depth-first back edges;
 * blocks are layered by longest path; within each layer and band, blocks are ordered by the barycentre of
 * their neighbours (alternating sweeps), then placed as near their neighbours' height as order and spacing
 * allow.
 *
 * <p>Stability (see {@link LayoutAlgorithm}): when {@code previous} already places some of the graph's
 * nodes, those keep their positions exactly and only new nodes are placed — a new version under its
 * service's versions, a new block in its layer's column near the height of its neighbours, a namespace with
 * no placed node (just expanded, or new) laid out on its own and placed as one box, where its collapsed node
 * {@code namespace:NAME} was if {@code previous} has that (the hosts of an expanded external group as one
 * grid where the group was) — each in the nearest free space. Everything is deterministic: same graph and
 * previous layout, same layout bit for bit.
 */
public final class LayeredLayout implements LayoutAlgorithm {

    /** Spacing of the layered layout, in layout units. */
    public record Options(double layerGap, double nodeGap, double bandGap, int sweeps) {
        public static final Options DEFAULT = new Options(90, 14, 60, 8);

        public Options {
            if (!(layerGap >= 0 && nodeGap >= 0 && bandGap >= 0) || sweeps < 0) {
                throw new IllegalArgumentException("layered layout options " + layerGap + ", " + nodeGap + ", "
                        + bandGap + ", " + sweeps + " (expected: gaps >= 0, sweeps >= 0)");
            }
        }
    }

    /** How many steps of a group's quarter width left and right of its collapsed node a group may open. */
    private static final int SIDEWAYS_STEPS = 12;

    private final NodeSizing sizing;
    private final Options options;

    public LayeredLayout() {
        this(NodeSizing.DEFAULT, Options.DEFAULT);
    }

    public LayeredLayout(NodeSizing sizing, Options options) {
        this.sizing = Objects.requireNonNull(sizing, "sizing");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public Layout layout(TopologyGraph graph, Layout previous) {
        Point[] placed = placesAll(graph, previous) ? new Point[0] : place(graph, previous); // all placed: no work
        Map<String, Point> positions = new LinkedHashMap<>(graph.nodeCount() * 2);
        Set<String> pinned = new LinkedHashSet<>();
        for (int i = 0; i < graph.nodeCount(); i++) {
            String id = graph.nodeAt(i).id();
            Point old = previous.positions().get(id);
            positions.put(id, old != null ? old : placed[i]);
            if (previous.isPinned(id)) {
                pinned.add(id);
            }
        }
        return new Layout(positions, pinned);
    }

    /** Positions for the nodes of {@code graph}, at least those {@code previous} does not place, by node index. */
    private Point[] place(TopologyGraph graph, Layout previous) {
        Blocks blocks = new Blocks(graph, sizing);
        Layering layering = new Layering(blocks);
        boolean incremental = false;
        for (int i = 0; i < graph.nodeCount() && !incremental; i++) {
            incremental = previous.contains(graph.nodeAt(i).id()) && !previous.isPinned(graph.nodeAt(i).id());
        }
        return incremental
                ? new Incremental(graph, previous, blocks, layering).place()
                : new Fresh(graph, blocks, layering).place();
    }

    private static boolean placesAll(TopologyGraph graph, Layout previous) {
        for (int i = 0; i < graph.nodeCount(); i++) {
            if (!previous.contains(graph.nodeAt(i).id())) {
                return false;
            }
        }
        return true;
    }

    /** Layer column x centres and widths. */
    private double[] columnCenters(Blocks blocks, Layering layering) {
        double[] widest = new double[layering.layerCount];
        for (int b = 0; b < blocks.count; b++) {
            widest[layering.layer[b]] = Math.max(widest[layering.layer[b]], blocks.width[b]);
        }
        double[] center = new double[layering.layerCount];
        double x = 0;
        for (int l = 0; l < center.length; l++) {
            center[l] = x + widest[l] / 2;
            x += widest[l] + options.layerGap();
        }
        return center;
    }

    private static Point[] toNodePositions(TopologyGraph graph, Blocks blocks, double[] bx, double[] by) {
        Point[] result = new Point[graph.nodeCount()];
        for (int b = 0; b < blocks.count; b++) {
            int[] mem = blocks.members[b];
            double[] off = blocks.offsets[b];
            for (int j = 0; j < mem.length; j++) {
                result[mem[j]] = new Point(bx[b] + off[2 * j], by[b] + off[2 * j + 1]);
            }
        }
        return result;
    }

    /** A layout from scratch. */
    private final class Fresh {
        private final TopologyGraph graph;
        private final Blocks blocks;
        private final Layering layering;
        /** Blocks of each (layer, band) cell, in order top to bottom. */
        private final int[][][] cells;
        private final double[] y;
        private final double[] bandTop;
        private final double[] bandHeight;

        Fresh(TopologyGraph graph, Blocks blocks, Layering layering) {
            this.graph = graph;
            this.blocks = blocks;
            this.layering = layering;
            int bands = blocks.bandNames.size();
            int[][] counts = new int[layering.layerCount][bands];
            for (int b = 0; b < blocks.count; b++) {
                counts[layering.layer[b]][blocks.band[b]]++;
            }
            cells = new int[layering.layerCount][bands][];
            for (int l = 0; l < layering.layerCount; l++) {
                for (int k = 0; k < bands; k++) {
                    cells[l][k] = new int[counts[l][k]];
                    counts[l][k] = 0;
                }
            }
            for (int b = 0; b < blocks.count; b++) {
                int l = layering.layer[b];
                int k = blocks.band[b];
                cells[l][k][counts[l][k]++] = b;
            }
            y = new double[blocks.count];
            bandTop = new double[bands];
            bandHeight = new double[bands];
        }

        Point[] place() {
            // band heights from stacking; they bound every later placement of the band's cells
            for (int l = 0; l < cells.length; l++) {
                for (int k = 0; k < cells[l].length; k++) {
                    bandHeight[k] = Math.max(bandHeight[k], stack(cells[l][k]));
                }
            }
            double top = 0;
            for (int k = 0; k < bandTop.length; k++) {
                bandTop[k] = top;
                top += bandHeight[k] + options.bandGap();
            }
            restackAll();
            // crossing reduction: barycentre sweeps, alternating direction
            double[] key = new double[blocks.count];
            for (int sweep = 0; sweep < options.sweeps(); sweep++) {
                boolean forward = sweep % 2 == 0;
                for (int s = 0; s < cells.length; s++) {
                    int l = forward ? s : cells.length - 1 - s;
                    for (int k = 0; k < cells[l].length; k++) {
                        int[] cell = cells[l][k];
                        if (cell.length < 2) {
                            continue;
                        }
                        for (int b : cell) {
                            key[b] = barycenter(b, forward ? layering.pred[b] : layering.succ[b], y[b]);
                        }
                        sortByKey(cell, key);
                        restack(cell, k);
                    }
                }
            }
            // straighten: move blocks towards their neighbours' height, keeping order and spacing
            double[] desired = new double[blocks.count];
            double[] heights = new double[blocks.count];
            double[] out = new double[blocks.count];
            for (int pass = 0; pass < 4; pass++) {
                boolean forward = pass % 2 == 0;
                for (int s = 0; s < cells.length; s++) {
                    int l = forward ? s : cells.length - 1 - s;
                    for (int k = 0; k < cells[l].length; k++) {
                        int[] cell = cells[l][k];
                        for (int i = 0; i < cell.length; i++) {
                            int b = cell[i];
                            desired[i] = bothSidesBarycenter(b);
                            heights[i] = blocks.height[b];
                        }
                        Separation.place(desired, heights, cell.length, options.nodeGap(), out);
                        fitIntoBand(cell, heights, out, k);
                    }
                }
            }
            double[] colX = columnCenters(blocks, layering);
            double[] bx = new double[blocks.count];
            for (int b = 0; b < blocks.count; b++) {
                bx[b] = colX[layering.layer[b]];
            }
            return toNodePositions(graph, blocks, bx, y);
        }

        /** The height of a cell's blocks stacked with gaps. */
        private double stack(int[] cell) {
            double h = 0;
            for (int i = 0; i < cell.length; i++) {
                h += blocks.height[cell[i]] + (i > 0 ? options.nodeGap() : 0);
            }
            return h;
        }

        private void restackAll() {
            for (int[][] layer : cells) {
                for (int k = 0; k < layer.length; k++) {
                    restack(layer[k], k);
                }
            }
        }

        /** Stack a cell centred in its band. */
        private void restack(int[] cell, int band) {
            double t = bandTop[band] + (bandHeight[band] - stack(cell)) / 2;
            for (int b : cell) {
                y[b] = t + blocks.height[b] / 2;
                t += blocks.height[b] + options.nodeGap();
            }
        }

        /**
         * Clamps each placed centre into the range where the cell, stacked tightly, still fits in its band:
         * clamping each box into a range shifted by exactly its minimum separation keeps every separation.
         */
        private void fitIntoBand(int[] cell, double[] heights, double[] placed, int band) {
            int n = cell.length;
            double lower = bandTop[band];
            double total = stack(cell);
            double upper = bandTop[band] + bandHeight[band] - total;
            for (int i = 0; i < n; i++) {
                double lo = lower + heights[i] / 2;
                double hi = upper + heights[i] / 2;
                y[cell[i]] = Math.max(lo, Math.min(hi, placed[i]));
                lower += heights[i] + options.nodeGap();
                upper += heights[i] + options.nodeGap();
            }
        }

        private double barycenter(int b, int[] neighbours, double fallback) {
            if (neighbours.length == 0) {
                return fallback;
            }
            double sum = 0;
            for (int w : neighbours) {
                sum += y[w];
            }
            return sum / neighbours.length;
        }

        private double bothSidesBarycenter(int b) {
            int n = layering.pred[b].length + layering.succ[b].length;
            if (n == 0) {
                return y[b];
            }
            double sum = 0;
            for (int w : layering.pred[b]) {
                sum += y[w];
            }
            for (int w : layering.succ[b]) {
                sum += y[w];
            }
            return sum / n;
        }
    }

    /** Sorts a cell by key, ties by current order (a stable insertion/merge sort on boxed indexes). */
    private static void sortByKey(int[] cell, double[] key) {
        Integer[] boxed = new Integer[cell.length];
        for (int i = 0; i < cell.length; i++) {
            boxed[i] = cell[i];
        }
        Arrays.sort(boxed, (a, b) -> Double.compare(key[a], key[b])); // stable for objects
        for (int i = 0; i < cell.length; i++) {
            cell[i] = boxed[i];
        }
    }

    /** Places only the nodes that {@code previous} does not, leaving every other node where it is. */
    private final class Incremental {
        private final TopologyGraph graph;
        private final Layout previous;
        private final Blocks blocks;
        private final Layering layering;
        private final FreeSpace free;
        /** The placed nodes and the boxes of the namespaces they make up: where a whole group may not go. */
        private FreeSpace groupFree;
        private final Point[] at;
        private double[] bottoms;
        private double lowest = Double.NEGATIVE_INFINITY;

        Incremental(TopologyGraph graph, Layout previous, Blocks blocks, Layering layering) {
            this.graph = graph;
            this.previous = previous;
            this.blocks = blocks;
            this.layering = layering;
            this.free = new FreeSpace(options.nodeGap());
            this.at = new Point[graph.nodeCount()];
        }

        Point[] place() {
            for (int i = 0; i < graph.nodeCount(); i++) {
                Point p = previous.positions().get(graph.nodeAt(i).id());
                if (p != null) {
                    at[i] = p;
                    free.add(Rect.centeredAt(p, sizing.sizeOf(graph.nodeAt(i))));
                }
            }
            double[] colX = columnX();
            placeNewNamespaces(colX);
            placeExpandedExternals();
            // blocks whose head is new go as a whole; new versions of placed services go under their siblings
            List<Integer> newBlocks = new ArrayList<>();
            for (int b = 0; b < blocks.count; b++) {
                if (at[blocks.head[b]] == null) {
                    newBlocks.add(b);
                } else {
                    NewMembers.place(graph, blocks, sizing, b, at, free);
                }
            }
            newBlocks.sort((a, c) -> layering.layer[a] != layering.layer[c]
                    ? Integer.compare(layering.layer[a], layering.layer[c]) : Integer.compare(a, c));
            for (int b : newBlocks) {
                placeBlock(b, colX[layering.layer[b]]);
            }
            return at;
        }

        /**
         * A namespace none of whose nodes is placed (just expanded, or new) is laid out on its own and placed
         * as one box, so that its namespace box stays compact and clear of the others: where its collapsed
         * node was if {@code previous} has it, else with its first column in the column of its first layer, at
         * the height of its placed neighbours (or below everything), in the nearest free space.
         */
        private void placeNewNamespaces(double[] colX) {
            int bands = blocks.bandNames.size();
            boolean[] placed = new boolean[bands];
            boolean[] present = new boolean[bands];
            int[] minLayer = new int[bands];
            Arrays.fill(minLayer, Integer.MAX_VALUE);
            for (int b = 0; b < blocks.count; b++) {
                int k = blocks.band[b];
                present[k] = true;
                minLayer[k] = Math.min(minLayer[k], layering.layer[b]);
                for (int m : blocks.members[b]) {
                    placed[k] |= at[m] != null;
                }
            }
            for (int k = 0; k < bands; k++) {
                String ns = blocks.bandNames.get(k);
                if (ns != null && present[k] && !placed[k]) {
                    placeNamespace(ns, colX[minLayer[k]]);
                }
            }
        }

        private void placeNamespace(String ns, double firstColumnX) {
            List<GraphNode> nodes = graph.nodesIn(ns);
            List<GraphEdge> inner = new ArrayList<>();
            double sumY = 0;
            int neighbours = 0;
            for (GraphNode n : nodes) {
                for (GraphEdge e : graph.outgoing(n.id())) {
                    if (ns.equals(graph.node(e.target()).namespace())) {
                        inner.add(e);
                    }
                }
                for (List<GraphEdge> side : List.of(graph.outgoing(n.id()), graph.incoming(n.id()))) {
                    for (GraphEdge e : side) {
                        String other = e.source().equals(n.id()) ? e.target() : e.source();
                        Point p = at[graph.indexOf(other)];
                        if (p != null && !ns.equals(graph.node(other).namespace())) {
                            sumY += p.y();
                            neighbours++;
                        }
                    }
                }
            }
            TopologyGraph sub = TopologyGraph.of(nodes, inner);
            Blocks subBlocks = new Blocks(sub, sizing);
            Point[] local = new Fresh(sub, subBlocks, new Layering(subBlocks)).place();
            Rect box = null;
            double firstX = Double.POSITIVE_INFINITY;
            for (int i = 0; i < local.length; i++) {
                Rect r = Rect.centeredAt(local[i], sizing.sizeOf(sub.nodeAt(i)));
                box = box == null ? r : box.union(r);
                firstX = Math.min(firstX, local[i].x());
            }
            Point anchor = previous.positions().get(NamespaceCollapse.nodeId(ns));
            int[] global = new int[local.length];
            for (int i = 0; i < local.length; i++) {
                global[i] = graph.indexOf(sub.nodeAt(i).id());
            }
            if (anchor != null) {
                placeGroup(global, local, box, anchor, true);
            } else {
                double centerX = box.center().x() + firstColumnX - firstX;
                double wantedY = neighbours > 0 ? sumY / neighbours
                        : bandBottom(blocks.bandNames.indexOf(ns)) + box.height() / 2;
                placeGroup(global, local, box, new Point(centerX, wantedY), false);
            }
        }

        /**
         * The external hosts of a just expanded {@link NamespaceCollapse#EXTERNAL} group (those with no
         * position while {@code previous} has the group's node) go as one compact grid where the group's node
         * was, ordered top to bottom, column by column, by the height of their callers; without that node, new
         * external hosts are placed one by one like any new block.
         */
        private void placeExpandedExternals() {
            Point anchor = previous.positions().get(NamespaceCollapse.nodeId(NamespaceCollapse.EXTERNAL));
            if (anchor == null) {
                return;
            }
            List<Integer> hosts = new ArrayList<>();
            for (int b = 0; b < blocks.count; b++) {
                int h = blocks.head[b];
                if (at[h] == null && blocks.members[b].length == 1 && graph.nodeAt(h).kind() == NodeKind.EXTERNAL) {
                    hosts.add(b);
                }
            }
            if (hosts.isEmpty()) {
                return;
            }
            double[] callerY = new double[blocks.count];
            for (int b : hosts) {
                callerY[b] = neighbourY(b, anchor.y());
            }
            hosts.sort((a, c) -> callerY[a] != callerY[c] ? Double.compare(callerY[a], callerY[c])
                    : Integer.compare(a, c));
            double cellW = 0;
            double cellH = 0;
            for (int b : hosts) {
                cellW = Math.max(cellW, blocks.width[b] + options.nodeGap());
                cellH = Math.max(cellH, blocks.height[b] + options.nodeGap());
            }
            int rows = (int) Math.ceil(Math.sqrt(hosts.size() * cellW / cellH));
            int[] global = new int[hosts.size()];
            Point[] local = new Point[hosts.size()];
            Rect box = null;
            for (int i = 0; i < hosts.size(); i++) {
                int b = hosts.get(i);
                global[i] = blocks.head[b];
                local[i] = new Point((i / rows) * cellW, (i % rows) * cellH);
                Rect r = Rect.centeredAt(local[i], sizing.sizeOf(graph.nodeAt(global[i])));
                box = box == null ? r : box.union(r);
            }
            placeGroup(global, local, box, anchor, true);
        }

        /** The mean height of the placed neighbours of block {@code b}, or {@code fallback} if none is placed. */
        private double neighbourY(int b, double fallback) {
            double sum = 0;
            int n = 0;
            for (int[] side : new int[][] {blocks.pred[b], blocks.succ[b]}) {
                for (int w : side) {
                    Point p = at[blocks.head[w]];
                    if (p != null) {
                        sum += blocks.centerYFromHead(w, p.y());
                        n++;
                    }
                }
            }
            return n > 0 ? sum / n : fallback;
        }

        /**
         * Moves a group laid out on its own ({@code local} positions of the nodes {@code global}, bounding
         * {@code box}) as one piece to the free place nearest to centring it on {@code wanted}, with room
         * for its namespace box and a neighbour's; when {@code anyColumn}, also left or right of there (a
         * group opened from a collapsed node), else only up or down.
         */
        private void placeGroup(int[] global, Point[] local, Rect box, Point wanted, boolean anyColumn) {
            double margin = GroupBoxes.NAMESPACE_MARGIN;
            double w = box.width() + 4 * margin;
            double h = box.height() + 4 * margin;
            FreeSpace space = groupSpace();
            Point center = new Point(wanted.x(), space.nearestFreeY(wanted.x(), wanted.y(), w, h));
            if (anyColumn) {
                double best = Math.abs(center.y() - wanted.y());
                double step = Math.max(options.layerGap(), w / 4);
                for (int k = 1; k <= SIDEWAYS_STEPS && k * step < best; k++) {
                    for (int sign : new int[] {-1, 1}) {
                        double x = wanted.x() + sign * k * step;
                        double y = space.nearestFreeY(x, wanted.y(), w, h);
                        double d = Math.hypot(x - wanted.x(), y - wanted.y());
                        if (d < best) {
                            best = d;
                            center = new Point(x, y);
                        }
                    }
                }
            }
            double dx = center.x() - box.center().x();
            double dy = center.y() - box.center().y();
            for (int i = 0; i < local.length; i++) {
                at[global[i]] = local[i].plus(dx, dy);
                noteBottom(global[i]);
            }
            Rect moved = new Rect(box.minX() + dx, box.minY() + dy, box.width(), box.height()).grow(2 * margin);
            free.add(moved);
            space.add(moved);
        }

        /**
         * The free space for a whole group: besides the placed nodes, the box of each namespace as drawn
         * around its placed nodes, since a group must not open in a hole of another namespace's box.
         */
        private FreeSpace groupSpace() {
            if (groupFree == null) {
                groupFree = new FreeSpace(options.nodeGap());
                Map<String, Rect> boxes = new LinkedHashMap<>();
                for (int i = 0; i < graph.nodeCount(); i++) {
                    GraphNode n = graph.nodeAt(i);
                    if (at[i] == null) {
                        continue;
                    }
                    Rect r = Rect.centeredAt(at[i], sizing.sizeOf(n));
                    groupFree.add(r);
                    if (n.namespace() != null && n.kind() != NodeKind.NAMESPACE) {
                        boxes.merge(n.namespace(), r, Rect::union);
                    }
                }
                boxes.values().forEach(b -> groupFree.add(b.grow(GroupBoxes.NAMESPACE_MARGIN)));
            }
            return groupFree;
        }

        /** Column of each layer: the median x of placed blocks in it, or extrapolated from its neighbours. */
        private double[] columnX() {
            List<List<Double>> xs = new ArrayList<>();
            for (int l = 0; l < layering.layerCount; l++) {
                xs.add(new ArrayList<>());
            }
            for (int b = 0; b < blocks.count; b++) {
                Point p = at[blocks.head[b]];
                if (p != null) {
                    xs.get(layering.layer[b]).add(blocks.centerXFromHead(b, p.x()));
                }
            }
            double[] fresh = columnCenters(blocks, layering);
            double[] col = new double[layering.layerCount];
            boolean[] known = new boolean[col.length];
            for (int l = 0; l < col.length; l++) {
                List<Double> list = xs.get(l);
                if (!list.isEmpty()) {
                    list.sort(Double::compare);
                    col[l] = list.get(list.size() / 2);
                    known[l] = true;
                }
            }
            // unknown columns: keep the fresh layout's spacing from the nearest known column to the left
            // (or to the right if none is known to the left)
            for (int l = 0; l < col.length; l++) {
                if (!known[l]) {
                    int left = l - 1;
                    while (left >= 0 && !known[left]) {
                        left--;
                    }
                    if (left >= 0) {
                        col[l] = col[left] + fresh[l] - fresh[left];
                    } else {
                        int right = l + 1;
                        while (right < col.length && !known[right]) {
                            right++;
                        }
                        col[l] = right < col.length ? col[right] - (fresh[right] - fresh[l]) : fresh[l];
                    }
                }
            }
            return col;
        }

        private void placeBlock(int b, double x) {
            double wanted = neighbourY(b, Double.NaN);
            if (Double.isNaN(wanted)) {
                wanted = bandBottom(blocks.band[b]) + blocks.height[b] / 2;
            }
            double yy = free.nearestFreeY(x, wanted, blocks.width[b], blocks.height[b]);
            int[] mem = blocks.members[b];
            double[] off = blocks.offsets[b];
            for (int j = 0; j < mem.length; j++) {
                at[mem[j]] = new Point(x + off[2 * j], yy + off[2 * j + 1]);
                noteBottom(mem[j]);
            }
            free.add(new Rect(x - blocks.width[b] / 2, yy - blocks.height[b] / 2, blocks.width[b], blocks.height[b]));
        }

        /** Just below the lowest placed node of the band, or below everything if the band has none. */
        private double bandBottom(int band) {
            if (bottoms == null) {
                bottoms = new double[blocks.bandNames.size()];
                Arrays.fill(bottoms, Double.NEGATIVE_INFINITY);
                for (int i = 0; i < graph.nodeCount(); i++) {
                    if (at[i] != null) {
                        noteBottom(i);
                    }
                }
            }
            return bottoms[band] > Double.NEGATIVE_INFINITY ? bottoms[band] + options.nodeGap()
                    : lowest > Double.NEGATIVE_INFINITY ? lowest + options.bandGap() : 0;
        }

        private void noteBottom(int node) {
            if (bottoms == null) {
                return;
            }
            double bottom = at[node].y() + sizing.sizeOf(graph.nodeAt(node)).height() / 2;
            int band = blocks.band[blocks.blockOf[node]];
            bottoms[band] = Math.max(bottoms[band], bottom);
            lowest = Math.max(lowest, bottom);
        }
    }
}
