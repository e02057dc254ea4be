package dev.meshdeck.controller.workspace.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A line diff: Myers' O(ND) algorithm on the lines between the common prefix and suffix. When the two
 * sides differ so much that remembering the search would cost more than {@link #TRACE_BUDGET} ints, the
 * middle becomes "delete everything, insert everything": still a correct diff, just not a minimal one.
 */
public final class LineDiff {
    /** How many ints the backtracking trace may hold (about 16 MB), roughly 2,000 differing lines. */
    static final long TRACE_BUDGET = 4_000_000L;

    public enum Op { KEEP, DELETE, INSERT }

    /**
     * One line of the edit script.
     *
     * @param op    what happens to the line
     * @param line  its text
     * @param aLine its 0-based index in the old lines (for INSERT: where it goes in the old lines)
     * @param bLine its 0-based index in the new lines (for DELETE: where it was in the new lines)
     */
    public record Edit(Op op, String line, int aLine, int bLine) {
        public Edit {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(line, "line");
        }
    }

    private LineDiff() {
    }

    /** The edit script that turns {@code a} into {@code b}, in order. */
    public static List<Edit> diff(List<String> a, List<String> b) {
        int prefix = 0;
        int max = Math.min(a.size(), b.size());
        while (prefix < max && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < max - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        List<Edit> edits = new ArrayList<>(a.size() + b.size());
        for (int i = 0; i < prefix; i++) {
            edits.add(new Edit(Op.KEEP, a.get(i), i, i));
        }
        List<String> midA = a.subList(prefix, a.size() - suffix);
        List<String> midB = b.subList(prefix, b.size() - suffix);
        List<Edit> middle = myers(midA, midB);
        if (middle == null) {
            middle = new ArrayList<>();
            for (int i = 0; i < midA.size(); i++) {
                middle.add(new Edit(Op.DELETE, midA.get(i), i, 0));
            }
            for (int j = 0; j < midB.size(); j++) {
                middle.add(new Edit(Op.INSERT, midB.get(j), midA.size(), j));
            }
        }
        for (Edit e : middle) {
            edits.add(new Edit(e.op(), e.line(), e.aLine() + prefix, e.bLine() + prefix));
        }
        for (int i = suffix; i > 0; i--) {
            edits.add(new Edit(Op.KEEP, a.get(a.size() - i), a.size() - i, b.size() - i));
        }
        return edits;
    }

    /** Myers' greedy forward search with a trace for backtracking; null if over the trace budget. */
    private static List<Edit> myers(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int maxD = n + m;
        int offset = maxD + 1;
        int[] v = new int[2 * maxD + 3];
        List<int[]> trace = new ArrayList<>();
        long traced = 0;
        int found = -1;
        search:
        for (int d = 0; d <= maxD; d++) {
            // v as it was before step d, for k in [-d-1, d+1], stored at index k + d + 1
            traced += 2L * d + 3;
            if (traced > TRACE_BUDGET) {
                return null;
            }
            trace.add(Arrays.copyOfRange(v, offset - d - 1, offset + d + 2));
            for (int k = -d; k <= d; k += 2) {
                int x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])
                        ? v[offset + k + 1]
                        : v[offset + k - 1] + 1;
                int y = x - k;
                while (x < n && y < m && a.get(x).equals(b.get(y))) {
                    x++;
                    y++;
                }
                v[offset + k] = x;
                if (x >= n && y >= m) {
                    found = d;
                    break search;
                }
            }
        }
        List<Edit> reversed = new ArrayList<>();
        int x = n;
        int y = m;
        for (int d = found; d >= 0; d--) {
            int[] prev = trace.get(d);
            int k = x - y;
            int prevK = k == -d || (k != d && prev[k - 1 + d + 1] < prev[k + 1 + d + 1]) ? k + 1 : k - 1;
            int prevX = prev[prevK + d + 1];
            int prevY = prevX - prevK;
            while (x > prevX && y > prevY) {
                x--;
                y--;
                reversed.add(new Edit(Op.KEEP, a.get(x), x, y));
            }
            if (d > 0) {
                if (x == prevX) {
                    reversed.add(new Edit(Op.INSERT, b.get(prevY), prevX, prevY));
                } else {
                    reversed.add(new Edit(Op.DELETE, a.get(prevX), prevX, prevY));
                }
            }
            x = prevX;
            y = prevY;
        }
        Collections.reverse(reversed);
        return reversed;
    }
}
