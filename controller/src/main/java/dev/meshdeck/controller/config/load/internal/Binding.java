package dev.meshdeck.controller.config.load.internal;

import dev.meshdeck.controller.config.ConfigError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What reading one document produces besides the resource: its errors, each located by field path and
 * line, and the line of every field read (for later cross-document checks).
 */
public final class Binding {
    private final String file;
    private final int document;
    private String resource;
    private final List<ConfigError> errors = new ArrayList<>();
    private final Map<String, Integer> fieldLines = new LinkedHashMap<>();

    public Binding(String file, int document) {
        this.file = file;
        this.document = document;
    }

    public String file() {
        return file;
    }

    public int document() {
        return document;
    }

    /** Names the resource in errors from now on, e.g. {@code VirtualService default/reviews}. */
    public void resource(String resource) {
        this.resource = resource;
    }

    public void error(String path, int line, String message) {
        errors.add(new ConfigError(file, document, resource, path, line, message));
    }

    public void fieldLine(String path, int line) {
        fieldLines.putIfAbsent(path, line);
    }

    /** The line of a field read so far, or {@code fallback}. */
    public int lineOf(String path, int fallback) {
        return fieldLines.getOrDefault(path, fallback);
    }

    /** The number of errors so far; a part is good if the count did not change while reading it. */
    public int errorCount() {
        return errors.size();
    }

    public boolean hasErrorsSince(int count) {
        return errors.size() > count;
    }

    /** The errors in line order, all naming the resource if it became known. */
    public List<ConfigError> errors() {
        return errors.stream()
                .map(e -> e.resource() == null && resource != null
                        ? new ConfigError(e.file(), e.document(), resource, e.field(), e.line(), e.message())
                        : e)
                .sorted(Comparator.comparingInt(ConfigError::line))
                .toList();
    }

    public Map<String, Integer> fieldLines() {
        return Map.copyOf(fieldLines);
    }
}
