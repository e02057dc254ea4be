package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.ProxyConfig;
import java.util.List;
import java.util.Map;

/**
 * What one request runs on, read once when its headers arrive: the config, the clusters' runtimes and
 * each listener's filters. Replaced as a whole on a config update.
 */
public record RuntimeSnapshot(ProxyConfig config, Map<String, ClusterRuntime> clusters,
                              Map<String, List<ProxyFilter>> filters) {
    public RuntimeSnapshot {
        clusters = Map.copyOf(clusters);
        filters = Map.copyOf(filters);
    }
}
