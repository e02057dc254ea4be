package dev.meshdeck.console.cli;

import dev.meshdeck.controller.api.grpc.HostPort;
import dev.meshdeck.controller.api.grpc.RemoteControlPlane;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The {@code --controller ADDR} option of every command that talks to a controller. */
final class ControllerClientOptions {
    static final String ENV_VAR = "MESHDECK_CONTROLLER";

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--controller", paramLabel = "ADDR",
            defaultValue = "${env:" + ENV_VAR + ":-127.0.0.1:15020}",
            description = "The controller's API address (default: $" + ENV_VAR + ", else ${DEFAULT-VALUE}).")
    String controller;

    /** The address as given. */
    String controller() {
        return controller;
    }

    /** Connects to the controller; an address that is not HOST:PORT is a usage error. */
    RemoteControlPlane connect() {
        HostPort address;
        try {
            address = HostPort.parse(controller);
            if (address.port() == 0) {
                throw new IllegalArgumentException("'" + controller + "': port 0 (expected: 1..65535)");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--controller: " + e.getMessage(), e, null, controller);
        }
        return RemoteControlPlane.connect(address);
    }
}
