package dev.meshdeck.console.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.logging.LogManager;
import picocli.CommandLine;

/** The {@code meshdeck} launcher's entry point. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        configureLogging();
        CommandLine commandLine = MeshdeckCommand.commandLineFor(args, StopSignal::onShutdown);
        System.exit(commandLine.execute(args));
    }

    /** Quiet logging by default (warnings and worse), unless the user gave a logging config of their own. */
    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (InputStream in = Main.class.getResourceAsStream("logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        } catch (IOException e) {
            System.err.println("meshdeck: cannot read the logging config: " + e.getMessage());
        }
    }
}
