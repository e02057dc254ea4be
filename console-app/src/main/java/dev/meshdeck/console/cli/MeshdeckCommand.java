package dev.meshdeck.console.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code meshdeck} command; each subcommand is its own class. */
@Command(name = "meshdeck",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A service mesh you can see, change and trust, from your desk.",
        subcommands = {CommandLine.HelpCommand.class})
public final class MeshdeckCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with every subcommand, ready to execute. */
    public static CommandLine commandLine() {
        return new CommandLine(new MeshdeckCommand());
    }
}
