package dev.meshdeck.controller.internal;

import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.registry.ProxyType;
import dev.meshdeck.controller.translate.TranslatedMesh;
import io.envoyproxy.controlplane.cache.Snapshot;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The first snapshot a JVM translates loads, links and initializes the Envoy API's classes: about half a second
 * on a cold JVM, which the first proxy to connect would otherwise wait for. {@link #start} translates one for a
 * placeholder sidecar on a thread of its own, beside the rest of the controller's start, and drops it: no proxy
 * and no cache ever sees it.
 */
public final class SnapshotWarmUp {
    private static final Logger LOG = Logger.getLogger(SnapshotWarmUp.class.getName());

    /** A sidecar with an app behind it, so that its inbound side is translated as well as its outbound one. */
    static final ProxyInfo PLACEHOLDER = new ProxyInfo("meshdeck-snapshot-warm-up", ProxyType.SIDECAR,
            "meshdeck-snapshot-warm-up", "default", Map.of("version", "v1"), "127.0.0.1",
            ProxyInfo.DEFAULT_INBOUND_PORT, ProxyInfo.DEFAULT_OUTBOUND_PORT, 8080, null);

    private SnapshotWarmUp() {
    }

    /** Starts translating the placeholder's snapshot from {@code mesh} on a daemon thread. */
    public static Thread start(TranslatedMesh mesh) {
        return Thread.ofPlatform().name("meshdeck-snapshot-warm-up").daemon().start(() -> snapshot(mesh));
    }

    /** The placeholder's snapshot, or empty if it could not be made (the first proxy's is then made cold). */
    static Optional<Snapshot> snapshot(TranslatedMesh mesh) {
        try {
            return Optional.of(mesh.snapshotFor(PLACEHOLDER));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "no warm-up snapshot; the first proxy's snapshot is made on a cold JVM", e);
            return Optional.empty();
        }
    }
}
