package dev.meshdeck.controller.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

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
 * @param ca               the mesh CA, when the controller runs one
 */
public record ControllerStatus(String version, int revision, int proxies, int connectedProxies, int nackedProxies,
                               String xdsAddress, Instant started, Optional<MeshCa> ca) {
    /**
     * The mesh CA's root, as {@code meshdeck status} shows it.
     *
     * @param trustDomain     the mesh's trust domain
     * @param rootFingerprint the root certificate's SHA-256 fingerprint, {@code AB:CD:...}
     * @param rootNotAfter    when the root expires
     */
    public record MeshCa(String trustDomain, String rootFingerprint, Instant rootNotAfter) {
        public MeshCa {
            Objects.requireNonNull(trustDomain, "trustDomain");
            Objects.requireNonNull(rootFingerprint, "rootFingerprint");
            Objects.requireNonNull(rootNotAfter, "rootNotAfter");
        }
    }

    /** A status without a mesh CA. */
    public ControllerStatus(String version, int revision, int proxies, int connectedProxies, int nackedProxies,
                            String xdsAddress, Instant started) {
        this(version, revision, proxies, connectedProxies, nackedProxies, xdsAddress, started, Optional.empty());
    }

    public ControllerStatus {
        version = version == null || version.isEmpty() ? "dev" : version;
        xdsAddress = xdsAddress == null ? "" : xdsAddress;
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(ca, "ca");
        if (revision < 0 || proxies < 0 || connectedProxies < 0 || nackedProxies < 0) {
            throw new IllegalArgumentException("revision and proxy counts: negative (expected: >= 0)");
        }
    }
}
