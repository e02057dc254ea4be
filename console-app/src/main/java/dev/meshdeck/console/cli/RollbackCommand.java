package dev.meshdeck.console.cli;

import dev.meshdeck.controller.api.ApplyResult;
import dev.meshdeck.controller.api.grpc.RemoteControlPlane;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code meshdeck rollback N}: makes an old revision's config live again, as a new revision. */
@Command(name = "rollback",
        description = "Makes revision N's config live again, as a new revision (history is never rewritten).",
        mixinStandardHelpOptions = true)
final class RollbackCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ControllerClientOptions controller;

    @Parameters(index = "0", paramLabel = "N", description = "The revision to go back to (0: the empty config).")
    int revision;

    @Override
    public Integer call() {
        if (revision < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "revision " + revision + " (expected: 0 or more)");
        }
        ApplyResult result;
        try (RemoteControlPlane cp = controller.connect()) {
            result = cp.rollback(revision);
        }
        if (!result.valid()) {
            result.errors().forEach(e -> spec.commandLine().getErr().println(e.toString()));
            spec.commandLine().getErr().flush();
            return 1;
        }
        spec.commandLine().getOut().println(result.applied()
                ? "rolled back to revision " + revision + " as revision " + result.revision()
                : "unchanged (revision " + result.revision() + " already has revision " + revision + "'s config)");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
