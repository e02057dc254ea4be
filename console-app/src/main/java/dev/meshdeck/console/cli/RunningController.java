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

    /** Stops the controller; a failure to stop cleanly is reported, never swallowed. */
    @Override
    public void close() {
        try {
            handle.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("stopping the controller: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("stopping the controller: " + e.getMessage(), e);
        }
    }
}
