package dev.meshdeck.console.cli;

import dev.meshdeck.controller.api.grpc.HostPort;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code meshdeck controller} asks a {@link ControllerLauncher} to start, validated.
 *
 * @param config      a config file or directory to apply at startup (source {@code --config PATH}), if any;
 *                    without it the controller serves the workspace's live revision
 * @param xdsListen   where to serve xDS (ADS) to sidecars
 * @param apiListen   where to serve the {@code meshdeck.v1} API
 * @param workspace   the workspace directory (revisions, lock)
 * @param insecureApi whether the API may be served on a non-loopback address without TLS
 */
public record ControllerOptions(Optional<Path> config, HostPort xdsListen, HostPort apiListen, Path workspace,
                                boolean insecureApi) {
    public ControllerOptions {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(xdsListen, "xdsListen");
        Objects.requireNonNull(apiListen, "apiListen");
        Objects.requireNonNull(workspace, "workspace");
        if (!insecureApi && !apiListen.isLoopback()) {
            throw new IllegalArgumentException("--api-listen " + apiListen + ": not a loopback address, and the API has"
                    + " no TLS or authentication yet (expected: 127.0.0.1 or [::1], or --insecure-api to serve it anyway)");
        }
    }
}
