package dev.meshdeck.controller.config;

import java.util.Comparator;

/** Identifies a resource: two resources with the same key are duplicates. */
public record ResourceKey(Kind kind, String namespace, String name) implements Comparable<ResourceKey> {
    private static final Comparator<ResourceKey> ORDER = Comparator.comparing(ResourceKey::kind)
            .thenComparing(ResourceKey::namespace)
            .thenComparing(ResourceKey::name);

    @Override
    public int compareTo(ResourceKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return kind.kindName() + " " + namespace + "/" + name;
    }
}
