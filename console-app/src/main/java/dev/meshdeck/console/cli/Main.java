package dev.meshdeck.console.cli;

import picocli.CommandLine;

/** The {@code meshdeck} launcher's entry point. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(MeshdeckCommand.commandLine().execute(args));
    }
}
