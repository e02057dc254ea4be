package dev.meshdeck.controller.config.load.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a multi-document YAML text at its {@code ---} lines (at column 0), keeping each document's text
 * exactly as written (comments included) and the line it starts on. Directives ({@code %YAML}) stay with
 * the document they precede.
 */
public final class DocumentSplitter {
    private DocumentSplitter() {
    }

    /** One document's text, without the {@code ---} line before it; {@code firstLine} is 1-based. */
    public record RawDocument(String text, int firstLine) {
    }

    public static List<RawDocument> split(String text) {
        String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<RawDocument> docs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int currentFirst = 1;
        boolean directivesOnly = false;
        int lineNo = 0;
        int at = 0;
        while (at < s.length()) {
            int nl = s.indexOf('\n', at);
            int end = nl < 0 ? s.length() : nl + 1;
            String line = s.substring(at, end);
            lineNo++;
            at = end;
            String bare = line.stripTrailing();
            if (isSeparator(bare) && !directivesOnly) {
                docs.add(new RawDocument(current.toString(), currentFirst));
                current.setLength(0);
                String rest = bare.substring(3).strip();
                if (!rest.isEmpty() && !rest.startsWith("#")) {
                    // "--- {a: 1}": the document starts on the marker line itself.
                    current.append(line);
                    currentFirst = lineNo;
                } else {
                    currentFirst = lineNo + 1;
                }
                continue;
            }
            if (bare.startsWith("%")) {
                directivesOnly = true;
            } else if (isSeparator(bare)) {
                directivesOnly = false;
            }
            current.append(line);
        }
        docs.add(new RawDocument(current.toString(), currentFirst));
        return docs;
    }

    private static boolean isSeparator(String line) {
        return line.startsWith("---") && (line.length() == 3 || Character.isWhitespace(line.charAt(3)));
    }
}
