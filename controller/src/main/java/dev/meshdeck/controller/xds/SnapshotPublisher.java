package dev.meshdeck.controller.xds;

import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.registry.ProxyRegistry;
import dev.meshdeck.controller.registry.RegistryState;
import dev.meshdeck.controller.registry.Subscription;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.SnapshotCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the snapshot cache in step with the members of the registry: every member has the snapshot the
 * current {@link SnapshotSource} gives it. A proxy gets its snapshot as soon as it joins (a watch for a node
 * without a snapshot would wait forever), a proxy that leaves loses it, and {@link #publishAll} re-sets
 * every member's snapshot, skipping those whose versions did not change so that nothing is re-sent to them.
 */
public final class SnapshotPublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SnapshotPublisher.class.getName());

    /**
     * What a publication did.
     *
     * @param updated   members given a new snapshot
     * @param unchanged members whose snapshot had the same versions already
     * @param failed    members whose snapshot could not be made (logged; their old one stays)
     */
    public record Published(int updated, int unchanged, int failed) {
    }

    private final SnapshotCache<String, Snapshot> cache;
    private final ProxyRegistry registry;
    private final Subscription subscription;
    private final Map<String, ProxyInfo> published = new HashMap<>();
    private SnapshotSource source;
    private final Predicate<String> held;

    /**
     * Publishes {@code source}'s snapshots to the current members of {@code registry} at once, and to
     * members that join later.
     */
    public SnapshotPublisher(SnapshotCache<String, Snapshot> cache, ProxyRegistry registry, SnapshotSource source) {
        this(cache, registry, source, nodeId -> false);
    }

    /**
     * Like the other constructor; {@code held} names proxies to leave on the config they have for now (see
     * {@link ResumeGate}): they get their snapshot from the first {@link #publishAll} after they are let go.
     */
    public SnapshotPublisher(SnapshotCache<String, Snapshot> cache, ProxyRegistry registry, SnapshotSource source,
                             Predicate<String> held) {
        this.held = Objects.requireNonNull(held, "held");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.source = Objects.requireNonNull(source, "source");
        this.subscription = registry.onChange(this::membersChanged);
        membersChanged(registry.state());
    }

    /** Makes {@code next} the source and sets every member's snapshot from it. */
    public synchronized Published publishAll(SnapshotSource next) {
        this.source = Objects.requireNonNull(next, "source");
        return publishAll();
    }

    /** Sets every member's snapshot from the current source. */
    public synchronized Published publishAll() {
        int updated = 0;
        int unchanged = 0;
        int failed = 0;
        for (ProxyInfo proxy : registry.state().proxies()) {
            switch (publish(proxy)) {
                case UPDATED -> updated++;
                case UNCHANGED -> unchanged++;
                case FAILED -> failed++;
            }
        }
        return new Published(updated, unchanged, failed);
    }

    private synchronized void membersChanged(RegistryState state) {
        Set<String> members = new HashSet<>();
        for (ProxyInfo proxy : state.proxies()) {
            members.add(proxy.nodeId());
            if (!proxy.equals(published.get(proxy.nodeId()))) {
                publish(proxy);
            }
        }
        // A snapshot whose stream is still closing keeps watches and cannot be cleared yet: it is tried again at
        // the next change.
        published.keySet().removeIf(nodeId -> !members.contains(nodeId) && cache.clearSnapshot(nodeId));
    }

    private enum Outcome { UPDATED, UNCHANGED, FAILED }

    private Outcome publish(ProxyInfo proxy) {
        if (held.test(proxy.nodeId())) {
            return Outcome.UNCHANGED;
        }
        Snapshot next;
        try {
            next = Objects.requireNonNull(source.snapshotFor(proxy), "snapshot");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "No snapshot for " + proxy.nodeId() + "; it keeps its current one", e);
            return Outcome.FAILED;
        }
        published.put(proxy.nodeId(), proxy);
        Snapshot current = cache.getSnapshot(proxy.nodeId());
        if (current != null && sameVersions(current, next)) {
            return Outcome.UNCHANGED;
        }
        cache.setSnapshot(proxy.nodeId(), next);
        return Outcome.UPDATED;
    }

    private static boolean sameVersions(Snapshot a, Snapshot b) {
        for (ResourceType type : ResourceType.values()) {
            if (!a.version(type).equals(b.version(type))) {
                return false;
            }
        }
        return true;
    }

    /** Stops following the registry; the snapshots stay in the cache. */
    @Override
    public void close() {
        subscription.close();
    }
}
