package dev.meshdeck.viz.layout.internal;

import java.util.Arrays;

/**
 * Assigns each block a layer so that calls go left to right: cycles are broken by reversing the back edges
 * of a depth-first search (in block order, so deterministically), then each block goes one layer right of
 * its furthest caller (longest path), and a block nobody calls moves right up to just before its nearest
 * callee, which keeps entry points next to what they call.
 */
public final class Layering {

    /** Layer of each block, 0 = leftmost. */
    public final int[] layer;
    public final int layerCount;
    /** Successors and predecessors over the acyclic (some edges reversed) block graph. */
    public final int[][] succ;
    public final int[][] pred;

    public Layering(Blocks blocks) {
        int c = blocks.count;
        // mark back edges with an iterative DFS; edge ids are positions in the succ arrays
        int[] edgeBase = new int[c + 1];
        for (int b = 0; b < c; b++) {
            edgeBase[b + 1] = edgeBase[b] + blocks.succ[b].length;
        }
        boolean[] reversed = new boolean[edgeBase[c]];
        byte[] state = new byte[c]; // 0 new, 1 on stack, 2 done
        int[] stack = new int[c];
        int[] next = new int[c];
        for (int root = 0; root < c; root++) {
            if (state[root] != 0) {
                continue;
            }
            int sp = 0;
            stack[sp++] = root;
            state[root] = 1;
            while (sp > 0) {
                int v = stack[sp - 1];
                if (next[v] < blocks.succ[v].length) {
                    int k = next[v]++;
                    int w = blocks.succ[v][k];
                    if (state[w] == 0) {
                        state[w] = 1;
                        stack[sp++] = w;
                    } else if (state[w] == 1) {
                        reversed[edgeBase[v] + k] = true;
                    }
                } else {
                    state[v] = 2;
                    sp--;
                }
            }
        }
        int[] outDeg = new int[c];
        int[] inDeg = new int[c];
        for (int v = 0; v < c; v++) {
            for (int k = 0; k < blocks.succ[v].length; k++) {
                int w = blocks.succ[v][k];
                if (reversed[edgeBase[v] + k]) {
                    outDeg[w]++;
                    inDeg[v]++;
                } else {
                    outDeg[v]++;
                    inDeg[w]++;
                }
            }
        }
        succ = new int[c][];
        pred = new int[c][];
        for (int v = 0; v < c; v++) {
            succ[v] = new int[outDeg[v]];
            pred[v] = new int[inDeg[v]];
        }
        Arrays.fill(outDeg, 0);
        Arrays.fill(inDeg, 0);
        for (int v = 0; v < c; v++) {
            for (int k = 0; k < blocks.succ[v].length; k++) {
                int w = blocks.succ[v][k];
                int s = reversed[edgeBase[v] + k] ? w : v;
                int t = reversed[edgeBase[v] + k] ? v : w;
                if (contains(succ[s], outDeg[s], t)) {
                    continue; // a reversed edge doubling an existing one
                }
                succ[s][outDeg[s]++] = t;
                pred[t][inDeg[t]++] = s;
            }
        }
        for (int v = 0; v < c; v++) {
            succ[v] = Arrays.copyOf(succ[v], outDeg[v]);
            pred[v] = Arrays.copyOf(pred[v], inDeg[v]);
        }

        // topological order (Kahn, smallest block first through a simple queue in index order)
        int[] order = new int[c];
        int[] remaining = new int[c];
        int head = 0;
        int tail = 0;
        for (int v = 0; v < c; v++) {
            remaining[v] = pred[v].length;
            if (remaining[v] == 0) {
                order[tail++] = v;
            }
        }
        while (head < tail) {
            int v = order[head++];
            for (int w : succ[v]) {
                if (--remaining[w] == 0) {
                    order[tail++] = w;
                }
            }
        }
        layer = new int[c];
        for (int i = 0; i < c; i++) {
            int v = order[i];
            for (int w : succ[v]) {
                layer[w] = Math.max(layer[w], layer[v] + 1);
            }
        }
        for (int i = c - 1; i >= 0; i--) {
            int v = order[i];
            if (pred[v].length == 0 && succ[v].length > 0) {
                int nearest = Integer.MAX_VALUE;
                for (int w : succ[v]) {
                    nearest = Math.min(nearest, layer[w]);
                }
                layer[v] = nearest - 1;
            }
        }
        int max = -1;
        for (int v = 0; v < c; v++) {
            max = Math.max(max, layer[v]);
        }
        layerCount = max + 1;
    }

    private static boolean contains(int[] a, int n, int x) {
        for (int i = 0; i < n; i++) {
            if (a[i] == x) {
                return true;
            }
        }
        return false;
    }
}
