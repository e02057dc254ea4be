package dev.meshdeck.console.cli;

import dev.meshdeck.controller.api.grpc.RemoteControlPlane;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code meshdeck diff FROM TO}: a unified diff between two revisions. */
@Command(name = "diff",
        description = "Prints a unified diff between two config revisions (0 is the empty config).",
        mixinStandardHelpOptions = true)
final class DiffCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ControllerClientOptions controller;

    @Parameters(index = "0", paramLabel = "FROM", description = "The older revision.")
    int from;

    @Parameters(index = "1", paramLabel = "TO", description = "The newer revision.")
    int to;

    @Override
    public Integer call() {
        if (from < 0 || to < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "revisions: " + from + " and " + to + " (expected: 0 or more)");
        }
        String diff;
        try (RemoteControlPlane cp = controller.connect()) {
            diff = cp.diff(from, to);
        }
        if (diff.isEmpty()) {
            spec.commandLine().getErr().println("revisions " + from + " and " + to + " have the same config");
            spec.commandLine().getErr().flush();
        } else {
            spec.commandLine().getOut().print(diff);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
