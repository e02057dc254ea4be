package dev.meshdeck.console.cli;

import dev.meshdeck.controller.api.MeshEvent;
import dev.meshdeck.controller.api.grpc.RemoteControlPlane;
import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code meshdeck events}: follows the controller's event stream until Ctrl-C or the controller stops. */
@Command(name = "events",
        description = "Prints the controller's events as they happen (config applied, proxies coming and going,"
                + " NACKs) until Ctrl-C.",
        mixinStandardHelpOptions = true)
final class EventsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ControllerClientOptions controller;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        CompletableFuture<Optional<RuntimeException>> end = new CompletableFuture<>();
        try (RemoteControlPlane cp = controller.connect()) {
            // status() first: a controller that is not there fails here with a clear message
            int revision = cp.status().revision();
            out.println("following events from " + cp.target() + " (revision " + revision + "); Ctrl-C to stop");
            out.flush();
            AutoCloseable subscription = cp.subscribe(e -> print(out, e), end::complete);
            Optional<RuntimeException> error;
            try {
                error = end.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } finally {
                subscription.close();
            }
            if (error.isPresent()) {
                throw error.get();
            }
        }
        spec.commandLine().getErr().println("the controller closed the event stream");
        spec.commandLine().getErr().flush();
        return 0;
    }

    static String format(MeshEvent e) {
        return DateTimeFormatter.ISO_INSTANT.format(e.time()) + "  " + e.type() + "  " + e.subject()
                + (e.message().isEmpty() ? "" : ": " + e.message());
    }

    private static void print(PrintWriter out, MeshEvent e) {
        synchronized (out) {
            out.println(format(e));
            out.flush();
        }
    }
}
