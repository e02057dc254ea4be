package dev.meshdeck.console.cli;

import dev.meshdeck.controller.api.ControllerUnavailableException;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code meshdeck} command; each subcommand is its own class. */
@Command(name = "meshdeck",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A service mesh you can see, change and trust, from your desk.",
        subcommands = {
            ControllerCommand.class,
            SidecarCommand.class,
            DemoCommand.class,
            ApplyCommand.class,
            GetCommand.class,
            DiffCommand.class,
            RollbackCommand.class,
            StatusCommand.class,
            EventsCommand.class,
            BenchCommand.class,
            VizCommand.class,
            CommandLine.HelpCommand.class
        })
public final class MeshdeckCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with every subcommand, ready to execute. */
    public static CommandLine commandLine() {
        return commandLine(new ControllerServerLauncher());
    }

    /** The command line with a given way to start a controller (tests, or an embedding launcher). */
    public static CommandLine commandLine(ControllerLauncher launcher) {
        return commandLine(launcher, StopSignal::onShutdown);
    }

    static CommandLine commandLine(ControllerLauncher launcher, Supplier<StopSignal> stopSignal) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == ControllerCommand.class) {
                    return cls.cast(new ControllerCommand(launcher, stopSignal));
                }
                if (cls == SidecarCommand.class) {
                    return cls.cast(new SidecarCommand(stopSignal));
                }
                if (cls == DemoCommand.class) {
                    return cls.cast(new DemoCommand(stopSignal));
                }
                return defaults.create(cls);
            }
        };
        return configure(new CommandLine(new MeshdeckCommand(), factory));
    }

    /**
     * The command line of a sidecar process, {@code meshdeck sidecar ...}: the same options, help and errors as
     * in {@link #commandLine()}, without building the other commands (a sidecar's memory is counted in classes).
     */
    static CommandLine sidecarCommandLine(Supplier<StopSignal> stopSignal) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cl = new CommandLine(new SidecarOnly(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == SidecarCommand.class ? cls.cast(new SidecarCommand(stopSignal)) : defaults.create(cls);
            }
        });
        return configure(cl);
    }

    /** Whether {@code args} run a sidecar, which {@link #sidecarCommandLine} executes alone. */
    static boolean runsSidecar(String[] args) {
        return args.length > 0 && args[0].equals("sidecar");
    }

    /** The top-level command as a sidecar process sees it: {@code meshdeck} with its one subcommand. */
    @Command(name = "meshdeck", versionProvider = VersionProvider.class, subcommands = SidecarCommand.class)
    static final class SidecarOnly {
    }

    private static CommandLine configure(CommandLine cl) {
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(MeshdeckCommand::handle);
        return cl;
    }

    /**
     * Turns failures into one line on standard error and exit code 1: a controller that cannot be reached,
     * a request it refused, a file that cannot be read. Usage errors are picocli's (exit code 2).
     */
    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof CommandLine.ParameterException pe) {
            throw pe;
        }
        String message;
        if (e instanceof ControllerUnavailableException u) {
            message = u.getMessage() + "; start one with `meshdeck controller`";
        } else if (e instanceof CommandFailedException
                || e instanceof IllegalArgumentException
                || e instanceof NoSuchElementException
                || e instanceof java.io.IOException
                || e instanceof java.io.UncheckedIOException) {
            message = "meshdeck " + cl.getCommandName() + ": " + e.getMessage();
        } else {
            message = "meshdeck " + cl.getCommandName() + ": " + e;
        }
        cl.getErr().println(message);
        cl.getErr().flush();
        return 1;
    }
}
