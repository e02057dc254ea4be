package dev.meshdeck.controller.workspace.internal;

import dev.meshdeck.controller.api.StoredDocument;
import dev.meshdeck.controller.config.ResourceKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The text form of a whole config, as stored in a revision file and as diffed: the documents in key order,
 * separated by {@code ---} lines, each headed by a comment line {@code # <Kind> <namespace>/<name>}.
 * Reading it back needs the keys and line counts (kept beside it in the revision's metadata) but no
 * YAML parser.
 */
public final class ConfigText {
    static final String SEPARATOR = "---";

    private ConfigText() {
    }

    /**
     * A document's text as stored: its lines as written, ending in exactly one line break (trailing line
     * breaks are not content; everything else is kept byte for byte).
     */
    public static String normalize(String yaml) {
        int end = yaml.length();
        while (end > 0 && (yaml.charAt(end - 1) == '\n' || yaml.charAt(end - 1) == '\r')) {
            end--;
        }
        String text = yaml.substring(0, end);
        return text.isEmpty() ? "" : text + "\n";
    }

    /** The heading comment of a document. */
    public static String heading(ResourceKey key) {
        return "# " + key;
    }

    /** Renders documents (already normalized and in key order) as one text. */
    public static String render(List<StoredDocument> docs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < docs.size(); i++) {
            if (i > 0) {
                b.append(SEPARATOR).append('\n');
            }
            StoredDocument d = docs.get(i);
            b.append(heading(d.key())).append('\n').append(d.yaml());
        }
        return b.toString();
    }

    /** How many lines a normalized document has (its line breaks). */
    public static int lineCount(String normalizedYaml) {
        return (int) normalizedYaml.chars().filter(c -> c == '\n').count();
    }

    /**
     * Reads back what {@link #render} wrote, given each document's key and {@link #lineCount}: exact
     * whatever the documents contain, separator lines and heading look-alikes included.
     *
     * @throws IllegalArgumentException if the text does not hold those documents
     */
    public static List<StoredDocument> parse(String text, List<ResourceKey> keys, List<Integer> lineCounts) {
        if (keys.size() != lineCounts.size()) {
            throw new IllegalArgumentException(keys.size() + " keys but " + lineCounts.size() + " line counts");
        }
        List<StoredDocument> docs = new ArrayList<>(keys.size());
        int pos = 0;
        int lineNo = 1;
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                pos = expectLine(text, pos, SEPARATOR, lineNo++);
            }
            pos = expectLine(text, pos, heading(keys.get(i)), lineNo++);
            int start = pos;
            for (int l = 0; l < lineCounts.get(i); l++) {
                int nl = text.indexOf('\n', pos);
                if (nl < 0) {
                    throw new IllegalArgumentException("text ends inside " + keys.get(i)
                            + " (expected " + lineCounts.get(i) + " lines)");
                }
                pos = nl + 1;
                lineNo++;
            }
            docs.add(new StoredDocument(keys.get(i), text.substring(start, pos)));
        }
        if (pos != text.length()) {
            throw new IllegalArgumentException("unexpected text on line " + lineNo + " after the last document");
        }
        return docs;
    }

    private static int expectLine(String text, int pos, String expected, int lineNo) {
        String line = expected + "\n";
        if (!text.startsWith(line, pos)) {
            throw new IllegalArgumentException("expected '" + expected + "' on line " + lineNo);
        }
        return pos + line.length();
    }
}
