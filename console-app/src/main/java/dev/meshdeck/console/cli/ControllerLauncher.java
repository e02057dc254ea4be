package dev.meshdeck.console.cli;


/**
 * Starts a controller for {@code meshdeck controller}: opens the workspace, applies {@code --config},
 * serves xDS and the API. The real one is {@link ControllerServerLauncher}; an embedding launcher may give its own.
 */
public interface ControllerLauncher {

    /**
     * Starts a controller and returns once it listens on both addresses.
     *
     * @throws Exception if it cannot start (workspace locked, address in use, invalid --config ...): the
     *                   message is shown to the user as is
     */
    RunningController start(ControllerOptions options) throws Exception;
}
