package dev.meshdeck.console.cli;

import dev.meshdeck.controller.api.ControllerUnavailableException;
import java.util.NoSuchElementException;
import java.util.Optional;
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
        return configure(new CommandLine(new MeshdeckCommand(), factory(() -> launcher, stopSignal)));
    }

    /**
     * The command line that runs {@code args}: when they start with the name of a subcommand, {@code meshdeck}
     * with that one subcommand only (every other command's model costs a cold JVM ~40 ms and ~50 classes, and a
     * sidecar's memory is counted in classes); else the whole command line. Options, help and errors are the same
     * either way.
     */
    static CommandLine commandLineFor(String[] args, Supplier<StopSignal> stopSignal) {
        Optional<Class<?>> named = args.length == 0 ? Optional.empty() : subcommandNamed(args[0]);
        if (named.isEmpty()) {
            return commandLine(new ControllerServerLauncher(), stopSignal);
        }
        // The controller's launcher is made only for `meshdeck controller`: a sidecar process has no controller classes.
        CommandLine.IFactory factory = factory(() -> new ControllerServerLauncher(), stopSignal);
        CommandLine root = new CommandLine(new OneCommand(), factory);
        try {
            root.addSubcommand(new CommandLine(factory.create(named.get()), factory));
        } catch (Exception e) {
            throw new CommandLine.InitializationException("cannot create the command " + args[0] + ": " + e, e);
        }
        return configure(root);
    }

    /** The subcommand class whose name is {@code name}, read from the annotations without building any model. */
    static Optional<Class<?>> subcommandNamed(String name) {
        for (Class<?> c : MeshdeckCommand.class.getAnnotation(Command.class).subcommands()) {
            Command command = c.getAnnotation(Command.class);
            if (c != CommandLine.HelpCommand.class && command != null && command.name().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private static CommandLine.IFactory factory(Supplier<ControllerLauncher> launcher, Supplier<StopSignal> stopSignal) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == ControllerCommand.class) {
                    return cls.cast(new ControllerCommand(launcher.get(), stopSignal));
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
    }

    /** {@code meshdeck} as {@link #commandLineFor} builds it, before it adds the one subcommand it runs. */
    @Command(name = "meshdeck", versionProvider = VersionProvider.class)
    static final class OneCommand {
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
