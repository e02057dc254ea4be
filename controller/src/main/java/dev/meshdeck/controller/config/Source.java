package dev.meshdeck.controller.config;

/**
 * Where a resource was read from: the file (or another label such as {@code <stdin>}), the 1-based
 * index of the YAML document in that file, and the 1-based line the document starts on.
 */
public record Source(String file, int document, int line) {
    public static final Source UNKNOWN = new Source("<unknown>", 0, 0);

    public Source {
        file = file == null ? "<unknown>" : file;
    }

    @Override
    public String toString() {
        return file + " (document " + document + ", line " + line + ")";
    }
}
