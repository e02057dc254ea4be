package dev.meshdeck.controller.workspace.internal;

import dev.meshdeck.controller.workspace.internal.LineDiff.Edit;
import dev.meshdeck.controller.workspace.internal.LineDiff.Op;
import java.util.ArrayList;
import java.util.List;

/** Formats a {@link LineDiff} the way {@code diff -u} does: headers, then hunks with context lines. */
public final class UnifiedDiff {
    public static final int DEFAULT_CONTEXT = 3;

    private UnifiedDiff() {
    }

    /** Splits text into lines; a final line break does not start another line. */
    public static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** The unified diff of two texts, or "" if they have the same lines. */
    public static String of(String fromLabel, String from, String toLabel, String to) {
        return of(fromLabel, lines(from), toLabel, lines(to), DEFAULT_CONTEXT);
    }

    /** The unified diff of two lists of lines with {@code context} lines around changes, or "" if equal. */
    public static String of(String fromLabel, List<String> a, String toLabel, List<String> b, int context) {
        if (context < 0) {
            throw new IllegalArgumentException("context: " + context + " (expected: >= 0)");
        }
        List<Edit> edits = LineDiff.diff(a, b);
        List<Integer> changes = new ArrayList<>();
        for (int i = 0; i < edits.size(); i++) {
            if (edits.get(i).op() != Op.KEEP) {
                changes.add(i);
            }
        }
        if (changes.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(fromLabel).append('\n');
        out.append("+++ ").append(toLabel).append('\n');
        int h = 0;
        while (h < changes.size()) {
            int first = changes.get(h);
            int last = first;
            // a hunk extends while the unchanged run up to the next change is at most 2 * context lines
            while (h + 1 < changes.size() && changes.get(h + 1) - last - 1 <= 2 * context) {
                h++;
                last = changes.get(h);
            }
            h++;
            appendHunk(out, edits, Math.max(0, first - context), Math.min(edits.size() - 1, last + context));
        }
        return out.toString();
    }

    private static void appendHunk(StringBuilder out, List<Edit> edits, int from, int to) {
        int aCount = 0;
        int bCount = 0;
        for (int i = from; i <= to; i++) {
            Op op = edits.get(i).op();
            if (op != Op.INSERT) {
                aCount++;
            }
            if (op != Op.DELETE) {
                bCount++;
            }
        }
        Edit start = edits.get(from);
        // an empty range is written as the line before it, as diff -u does ("-0,0" for an empty file)
        int aStart = aCount == 0 ? start.aLine() : start.aLine() + 1;
        int bStart = bCount == 0 ? start.bLine() : start.bLine() + 1;
        out.append("@@ -").append(range(aStart, aCount)).append(" +").append(range(bStart, bCount)).append(" @@\n");
        for (int i = from; i <= to; i++) {
            Edit e = edits.get(i);
            char sign = switch (e.op()) {
                case KEEP -> ' ';
                case DELETE -> '-';
                case INSERT -> '+';
            };
            out.append(sign).append(e.line()).append('\n');
        }
    }

    private static String range(int start, int count) {
        return count == 1 ? Integer.toString(start) : start + "," + count;
    }
}
