package dev.meshdeck.console.cli;

import java.util.Objects;

/**
 * A controller that {@link ControllerLauncher#start started} and is listening.
 *
 * @param handle     stops it: closes the xDS and API servers and the workspace
 * @param xdsAddress where xDS is served, with the port actually bound
 * @param apiAddress where the API is served, with the port actually bound
 * @param revision   the live config revision
 */
public record RunningController(AutoCloseable handle, String xdsAddress, String apiAddress, int revision)
        implements AutoCloseable {
    public RunningController {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(xdsAddress, "xdsAddress");
        Objects.requireNonNull(apiAddress, "apiAddress");
    }

    @Override
    public void close() throws Exception {
        handle.close();
    }
}
