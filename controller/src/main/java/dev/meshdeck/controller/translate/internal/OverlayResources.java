package dev.meshdeck.controller.translate.internal;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.ResourceVersionResolver;
import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.VersionedResource;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Resources shared by many proxies plus one of a proxy's own, under their own version, without copying
 * the shared maps: a sidecar's clusters are the mesh's thousands plus its {@code inbound|port||}, and
 * copying thousands of entries for each of a thousand proxies is what this avoids.
 */
final class OverlayResources<T extends Message> extends SnapshotResources<T> {
    private final Map<String, VersionedResource<T>> versioned;
    private final Map<String, T> resources;
    private final String version;

    OverlayResources(SnapshotResources<T> shared, String name, VersionedResource<T> extra, String version) {
        if (shared.versionedResources().containsKey(name)) {
            throw new IllegalArgumentException("resource " + name + " is already shared (expected: a proxy's own name)");
        }
        this.versioned = new Overlay<>(shared.versionedResources(), name, extra);
        this.resources = new Overlay<>(shared.resources(), name, extra.resource());
        this.version = Objects.requireNonNull(version, "version");
    }

    @Override
    public Map<String, VersionedResource<T>> versionedResources() {
        return versioned;
    }

    @Override
    public Map<String, T> resources() {
        return resources;
    }

    @Override
    public ResourceVersionResolver resourceVersionResolver() {
        return names -> version;
    }

    /** An unmodifiable map: one entry first, then a shared map that does not hold its key. */
    private static final class Overlay<V> extends AbstractMap<String, V> {
        private final Map<String, V> shared;
        private final String key;
        private final V value;

        Overlay(Map<String, V> shared, String key, V value) {
            this.shared = shared;
            this.key = key;
            this.value = value;
        }

        @Override
        public V get(Object k) {
            return key.equals(k) ? value : shared.get(k);
        }

        @Override
        public boolean containsKey(Object k) {
            return key.equals(k) || shared.containsKey(k);
        }

        @Override
        public int size() {
            return shared.size() + 1;
        }

        @Override
        public Set<Entry<String, V>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, V>> iterator() {
                    return Stream.concat(Stream.of(Map.entry(key, value)), shared.entrySet().stream()).iterator();
                }

                @Override
                public int size() {
                    return Overlay.this.size();
                }
            };
        }
    }
}
