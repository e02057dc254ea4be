package dev.meshdeck.console.cli;

import dev.meshdeck.controller.api.grpc.HostPort;
import dev.meshdeck.controller.workspace.Workspace;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshdeck controller}: a standalone controller, running until Ctrl-C or SIGTERM. */
@Command(name = "controller",
        description = {"Runs a standalone controller: serves xDS to sidecars and the meshdeck API to the command"
                + " line and consoles, keeping config revisions in a workspace.",
            "Runs until Ctrl-C or SIGTERM."},
        mixinStandardHelpOptions = true)
final class ControllerCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "PATH",
            description = "A config file or directory to apply at startup (default: keep the workspace's live revision).")
    Path config;

    @Option(names = "--listen", paramLabel = "ADDR", defaultValue = "127.0.0.1:15010",
            description = "Where sidecars reach xDS (default: ${DEFAULT-VALUE}; 0.0.0.0:15010 for sidecars on other hosts).")
    String listen;

    @Option(names = "--api-listen", paramLabel = "ADDR", defaultValue = "127.0.0.1:15020",
            description = "Where the meshdeck API is served (default: ${DEFAULT-VALUE}; loopback only unless --insecure-api).")
    String apiListen;

    @Option(names = "--workspace", paramLabel = "DIR",
            description = "Where revisions are kept (default: $" + Workspace.ENV_VAR + ", else ~/.meshdeck/workspace).")
    Path workspace;

    @Option(names = "--insecure-api",
            description = "Allow --api-listen on a non-loopback address, where anyone who reaches it can change the mesh"
                    + " (the API has no TLS or authentication yet).")
    boolean insecureApi;

    private final ControllerLauncher launcher;
    private final Supplier<StopSignal> stopSignal;

    ControllerCommand(ControllerLauncher launcher, Supplier<StopSignal> stopSignal) {
        this.launcher = launcher;
        this.stopSignal = stopSignal;
    }

    @Override
    public Integer call() throws Exception {
        ControllerOptions options = options();
        StopSignal stop = stopSignal.get();
        try (RunningController running = launcher.start(options)) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("meshdeck controller: xDS on " + running.xdsAddress() + ", API on " + running.apiAddress()
                    + ", workspace " + options.workspace() + ", revision " + running.revision());
            out.flush();
            stop.awaitStop();
            out.println("meshdeck controller: stopping");
            out.flush();
        } finally {
            stop.stopped();
        }
        return 0;
    }

    ControllerOptions options() {
        HostPort xds = address("--listen", listen);
        HostPort api = address("--api-listen", apiListen);
        if (config != null && !Files.exists(config)) {
            throw usage("--config " + config + ": no such file or directory");
        }
        Path ws = (workspace != null ? workspace : Workspace.defaultDirectory()).toAbsolutePath().normalize();
        try {
            return new ControllerOptions(Optional.ofNullable(config), xds, api, ws, insecureApi);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private HostPort address(String option, String value) {
        try {
            return HostPort.parse(value);
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
