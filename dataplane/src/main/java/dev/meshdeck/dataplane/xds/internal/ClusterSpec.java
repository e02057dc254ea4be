package dev.meshdeck.dataplane.xds.internal;

import dev.meshdeck.dataplane.config.ClusterConfig;

/**
 * A validated cluster and, for an EDS cluster, the name of the {@code ClusterLoadAssignment} that feeds its
 * endpoints ({@code null} for STATIC and DNS clusters, whose endpoints are inline).
 */
public record ClusterSpec(ClusterConfig config, String edsName) {
    public boolean usesEds() {
        return edsName != null;
    }
}
