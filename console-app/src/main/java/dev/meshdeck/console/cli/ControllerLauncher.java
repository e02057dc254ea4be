package dev.meshdeck.console.cli;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Starts a controller for {@code meshdeck controller}: opens the workspace, applies {@code --config},
 * serves xDS and the API. The command line finds its implementation with {@link ServiceLoader}
 * ({@code META-INF/services/dev.meshdeck.console.cli.ControllerLauncher}), so that this package need not
 * know how a controller is assembled.
 */
public interface ControllerLauncher {

    /**
     * Starts a controller and returns once it listens on both addresses.
     *
     * @throws Exception if it cannot start (workspace locked, address in use, invalid --config ...): the
     *                   message is shown to the user as is
     */
    RunningController start(ControllerOptions options) throws Exception;

    /** The launcher registered as a service, if there is one on the class path. */
    static Optional<ControllerLauncher> fromServiceLoader() {
        return ServiceLoader.load(ControllerLauncher.class).findFirst();
    }
}
