package dev.meshdeck.controller.xds;

import dev.meshdeck.controller.registry.ProxyInfo;
import io.envoyproxy.controlplane.cache.v3.Snapshot;

/** The xDS configuration of one proxy: what the translated mesh says that proxy should run. */
@FunctionalInterface
public interface SnapshotSource {
    Snapshot snapshotFor(ProxyInfo proxy);
}
