package dev.meshdeck.viz.layout.internal;

import dev.meshdeck.viz.layout.NodeSize;
import dev.meshdeck.viz.layout.NodeSizing;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.NodeKind;
import dev.meshdeck.viz.model.TopologyGraph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The units a layout moves: a service together with its versions (stacked under it inside its box), or a
 * node that belongs to no service. Also the edges between blocks (calls), without duplicates or
 * self-loops, and each block's band (its namespace; external nodes and collapsed namespace nodes share the
 * last band, where the layout can order them freely: a collapsed namespace is a box of its own).
 */
public final class Blocks {

    /** Gap between the service and its first version, and between versions, inside a service box. */
    public static final double INNER_GAP = 6;
    /** Padding between a service box's border and its versions. */
    public static final double PADDING = 8;

    public final int count;
    /** Block of each node. */
    public final int[] blockOf;
    /** The node that heads each block (the service, or the lone node). */
    public final int[] head;
    /** Member node indexes of each block, head first, then versions in graph order. */
    public final int[][] members;
    /** Offsets of each member's centre from the block's centre, x then y, parallel to {@link #members}. */
    public final double[][] offsets;
    public final double[] width;
    public final double[] height;
    /**
     * Band index of each block; bands are the namespaces in name order, then one band for the rest (external
     * and collapsed namespace nodes).
     */
    public final int[] band;
    public final List<String> bandNames;
    /** Successors and predecessors of each block over the call edges (no duplicates, no self-loops). */
    public final int[][] succ;
    public final int[][] pred;

    public Blocks(TopologyGraph graph, NodeSizing sizing) {
        int n = graph.nodeCount();
        blockOf = new int[n];
        Arrays.fill(blockOf, -1);
        int c = 0;
        for (int i = 0; i < n; i++) {
            if (graph.parentIndex(i) < 0) {
                blockOf[i] = c++;
            }
        }
        count = c;
        head = new int[c];
        int[] memberCount = new int[c];
        for (int i = 0; i < n; i++) {
            if (graph.parentIndex(i) < 0) {
                head[blockOf[i]] = i;
                memberCount[blockOf[i]]++;
            }
        }
        for (int i = 0; i < n; i++) {
            int p = graph.parentIndex(i);
            if (p >= 0) {
                blockOf[i] = blockOf[p];
                memberCount[blockOf[i]]++;
            }
        }
        members = new int[c][];
        for (int b = 0; b < c; b++) {
            members[b] = new int[memberCount[b]];
            members[b][0] = head[b];
            memberCount[b] = 1;
        }
        for (int i = 0; i < n; i++) {
            if (graph.parentIndex(i) >= 0) {
                int b = blockOf[i];
                members[b][memberCount[b]++] = i;
            }
        }
        width = new double[c];
        height = new double[c];
        offsets = new double[c][];
        for (int b = 0; b < c; b++) {
            measure(graph, sizing, b);
        }

        TreeMap<String, Integer> bands = new TreeMap<>();
        for (int b = 0; b < c; b++) {
            String ns = bandOf(graph.nodeAt(head[b]));
            if (ns != null) {
                bands.put(ns, 0);
            }
        }
        bandNames = new ArrayList<>(bands.keySet());
        int k = 0;
        for (var e : bands.entrySet()) {
            e.setValue(k++);
        }
        band = new int[c];
        for (int b = 0; b < c; b++) {
            String ns = bandOf(graph.nodeAt(head[b]));
            band[b] = ns == null ? bandNames.size() : bands.get(ns);
        }
        if (bands.size() < bandNames.size() + 1) {
            bandNames.add(null);
        }

        // block edges, deduplicated through a sort of (source, target) pairs packed in longs
        long[] pairs = new long[graph.edgeCount()];
        int m = 0;
        for (int e = 0; e < graph.edgeCount(); e++) {
            int s = blockOf[graph.sourceIndex(e)];
            int t = blockOf[graph.targetIndex(e)];
            if (s != t) {
                pairs[m++] = ((long) s << 32) | t;
            }
        }
        Arrays.sort(pairs, 0, m);
        int[] outDeg = new int[c];
        int[] inDeg = new int[c];
        int unique = 0;
        for (int i = 0; i < m; i++) {
            if (i == 0 || pairs[i] != pairs[i - 1]) {
                pairs[unique++] = pairs[i];
                outDeg[(int) (pairs[i] >>> 32)]++;
                inDeg[(int) pairs[i]]++;
            }
        }
        succ = new int[c][];
        pred = new int[c][];
        for (int b = 0; b < c; b++) {
            succ[b] = new int[outDeg[b]];
            pred[b] = new int[inDeg[b]];
        }
        Arrays.fill(outDeg, 0);
        Arrays.fill(inDeg, 0);
        for (int i = 0; i < unique; i++) {
            int s = (int) (pairs[i] >>> 32);
            int t = (int) pairs[i];
            succ[s][outDeg[s]++] = t;
            pred[t][inDeg[t]++] = s;
        }
    }

    /** The namespace whose band a block head goes into, or {@code null} for the last, shared band. */
    private static String bandOf(GraphNode node) {
        return node.kind() == NodeKind.NAMESPACE ? null : node.namespace();
    }

    private void measure(TopologyGraph graph, NodeSizing sizing, int b) {
        int[] mem = members[b];
        NodeSize headSize = sizing.sizeOf(graph.nodeAt(mem[0]));
        double[] off = new double[mem.length * 2];
        if (mem.length == 1) {
            width[b] = headSize.width();
            height[b] = headSize.height();
            offsets[b] = off;
            return;
        }
        double w = headSize.width();
        double h = headSize.height();
        NodeSize[] sizes = new NodeSize[mem.length];
        for (int j = 1; j < mem.length; j++) {
            sizes[j] = sizing.sizeOf(graph.nodeAt(mem[j]));
            w = Math.max(w, sizes[j].width() + 2 * PADDING);
            h += INNER_GAP + sizes[j].height();
        }
        h += PADDING;
        width[b] = w;
        height[b] = h;
        double top = -h / 2;
        off[1] = top + headSize.height() / 2;
        double y = top + headSize.height() + INNER_GAP;
        for (int j = 1; j < mem.length; j++) {
            off[2 * j + 1] = y + sizes[j].height() / 2;
            y += sizes[j].height() + INNER_GAP;
        }
        offsets[b] = off;
    }

    /** The block's centre given its head node's centre. */
    public double centerXFromHead(int b, double headX) {
        return headX - offsets[b][0];
    }

    public double centerYFromHead(int b, double headY) {
        return headY - offsets[b][1];
    }
}
