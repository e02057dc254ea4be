package dev.meshdeck.controller.config;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** A resource's {@code metadata}: name, namespace (defaulted to {@code default}), labels, annotations. */
public record Metadata(String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {
    public static final String DEFAULT_NAMESPACE = "default";

    public Metadata {
        Objects.requireNonNull(name, "name");
        namespace = namespace == null || namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace;
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        annotations = Map.copyOf(annotations == null ? Map.of() : annotations);
    }

    public static Metadata of(String name, String namespace) {
        return new Metadata(name, namespace, Map.of(), Map.of());
    }

    /** Labels in a stable order, for output that must be deterministic. */
    public Map<String, String> sortedLabels() {
        return new TreeMap<>(labels);
    }
}
