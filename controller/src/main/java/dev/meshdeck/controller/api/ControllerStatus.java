package dev.meshdeck.controller.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A controller's vital signs, for {@code meshdeck status}.
 *
 * @param version          the controller's version ({@code 0.1.0}, or {@code dev} when run from classes)
 * @param revision         the live config revision (0: empty config)
 * @param proxies          proxies known: connected, or gone within the grace period
 * @param connectedProxies proxies with an open ADS stream
 * @param nackedProxies    proxies with at least one NACKed type
 * @param xdsAddress       where sidecars reach the xDS server, {@code host:port}
 * @param started          when the controller started
 */
public record ControllerStatus(String version, int revision, int proxies, int connectedProxies, int nackedProxies,
                               String xdsAddress, Instant started) {
    public ControllerStatus {
        version = version == null || version.isEmpty() ? "dev" : version;
        xdsAddress = xdsAddress == null ? "" : xdsAddress;
        Objects.requireNonNull(started, "started");
        if (revision < 0 || proxies < 0 || connectedProxies < 0 || nackedProxies < 0) {
            throw new IllegalArgumentException("revision and proxy counts: negative (expected: >= 0)");
        }
    }
}
