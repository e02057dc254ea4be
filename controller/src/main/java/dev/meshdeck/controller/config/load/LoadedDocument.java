package dev.meshdeck.controller.config.load;

import dev.meshdeck.controller.config.MeshResource;
import dev.meshdeck.controller.config.ResourceKey;
import java.util.Map;
import java.util.Objects;

/**
 * One document read from a file: the resource, the document's YAML exactly as written (comments kept),
 * and the line of every field read, by path ({@code spec.http[0].route[1].weight} → 14). Lines are lines
 * of the whole file, 1-based; paths use Istio's camelCase field names.
 */
public record LoadedDocument(MeshResource resource, String text, Map<String, Integer> fieldLines) {

    public LoadedDocument {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(text, "text");
        fieldLines = Map.copyOf(fieldLines == null ? Map.of() : fieldLines);
    }

    public ResourceKey key() {
        return resource.key();
    }

    /** The line of the field at {@code path}, or the line the document starts on if it was not written. */
    public int lineOf(String path) {
        return fieldLines.getOrDefault(path, resource.source().line());
    }
}
