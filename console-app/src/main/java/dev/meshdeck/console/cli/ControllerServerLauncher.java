package dev.meshdeck.console.cli;

import dev.meshdeck.controller.ControllerServer;
import dev.meshdeck.controller.registry.ProxyRegistry;
import java.util.Optional;

/** Starts the real controller ({@link ControllerServer}) for {@code meshdeck controller}. */
final class ControllerServerLauncher implements ControllerLauncher {

    @Override
    public RunningController start(ControllerOptions options) throws Exception {
        ControllerServer server = ControllerServer.start(new ControllerServer.Settings(
                options.config(), options.xdsListen(), Optional.of(options.apiListen()), options.workspace(),
                options.insecureApi(), ProxyRegistry.DEFAULT_GRACE));
        return new RunningController(server, server.xdsAddress(), server.apiAddress().orElseThrow(), server.revision());
    }
}
