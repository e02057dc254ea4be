package dev.meshdeck.controller.translate;

import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.translate.internal.Translation;
import io.envoyproxy.controlplane.cache.v3.Snapshot;

/**
 * The result of one translation: what each proxy is to be sent. Immutable and safe to share between
 * threads; asking for a proxy that was not in the registry (one that just connected) works too.
 */
public final class TranslatedMesh {
    private final Translation translation;

    TranslatedMesh(Translation translation) {
        this.translation = translation;
    }

    /** The resources of {@code proxy}, each list sorted by name. */
    public ProxyResources resourcesFor(ProxyInfo proxy) {
        return translation.resourcesFor(proxy);
    }

    /**
     * The snapshot for {@code proxy}'s node in a java-control-plane cache. Each type has its own version,
     * a hash of its content, so a change to endpoints alone re-sends only EDS. Resources shared by many
     * proxies are wrapped once, so a snapshot per proxy is cheap. No secrets yet.
     */
    public Snapshot snapshotFor(ProxyInfo proxy) {
        return translation.snapshotFor(proxy);
    }
}
