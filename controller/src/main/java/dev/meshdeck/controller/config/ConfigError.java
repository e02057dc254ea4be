package dev.meshdeck.controller.config;

import java.util.Objects;

/**
 * One thing wrong with a mesh config, located as precisely as we know: file, document (1-based), the
 * resource ({@code VirtualService default/reviews}, or {@code null} before the kind and name are known),
 * the field path ({@code spec.http[0].route[1].weight}, or {@code null}) and the line (1-based, 0 if
 * unknown).
 */
public record ConfigError(String file, int document, String resource, String field, int line, String message) {

    public ConfigError {
        file = file == null ? "<unknown>" : file;
        Objects.requireNonNull(message, "message");
    }

    /** An error about a whole file (not YAML, too big, unreadable). */
    public static ConfigError ofFile(String file, int line, String message) {
        return new ConfigError(file, 0, null, null, line, message);
    }

    /** {@code file.yaml:12: document 2 (VirtualService default/reviews): spec.http[0].route[1].weight: 120 (expected: 0..100)} */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(file);
        if (line > 0) {
            b.append(':').append(line);
        }
        b.append(": ");
        if (document > 0) {
            b.append("document ").append(document);
            if (resource != null) {
                b.append(" (").append(resource).append(')');
            }
            b.append(": ");
        }
        if (field != null && !field.isEmpty()) {
            b.append(field).append(": ");
        }
        return b.append(message).toString();
    }
}
