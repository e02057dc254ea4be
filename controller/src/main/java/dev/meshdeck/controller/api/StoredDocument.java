package dev.meshdeck.controller.api;

import dev.meshdeck.controller.config.ResourceKey;
import java.util.Objects;

/** One live resource: its key and its YAML document exactly as the user wrote it. */
public record StoredDocument(ResourceKey key, String yaml) {
    public StoredDocument {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(yaml, "yaml");
    }
}
