package dev.meshdeck.console.cli;

import dev.meshdeck.console.demo.DemoMesh;
import dev.meshdeck.console.demo.EdgeTable;
import dev.meshdeck.console.demo.LoadGenerator;
import dev.meshdeck.console.io.Directories;
import dev.meshdeck.controller.api.grpc.HostPort;
import dev.meshdeck.controller.config.Durations;
import dev.meshdeck.dataplane.stats.Stats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshdeck demo}: the embedded controller, the Bookinfo demo mesh and load, with a live table. */
@Command(name = "demo",
        description = {"Runs the demo mesh headless: an embedded controller, Bookinfo-like workloads each behind its"
                + " own sidecar, and a load generator; prints requests per second, success rate and latency per edge.",
            "Change routing from another terminal with `meshdeck apply -f FILE` (the API is on --api-listen)."},
        mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--duration", paramLabel = "D",
            description = "Stop after this long (e.g. 30s, 5m) and exit 0; default: until Ctrl-C.")
    String duration;

    @Option(names = "--rate", paramLabel = "RPS", defaultValue = "20",
            description = "Requests per second the load generator sends to productpage (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--interval", paramLabel = "D", defaultValue = "2s",
            description = "How often the table is printed (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--api-listen", paramLabel = "ADDR", defaultValue = "127.0.0.1:15020",
            description = "Where the embedded controller serves the meshdeck API (default: ${DEFAULT-VALUE}; 'none' for none).")
    String apiListen;

    @Option(names = "--workspace", paramLabel = "DIR",
            description = "The embedded controller's workspace (default: a new temporary directory, removed at exit).")
    Path workspace;

    private final Supplier<StopSignal> stopSignal;

    DemoCommand(Supplier<StopSignal> stopSignal) {
        this.stopSignal = stopSignal;
    }

    @Override
    public Integer call() throws Exception {
        Optional<Duration> limit = Optional.ofNullable(duration).map(d -> parse("--duration", d));
        Duration every = parse("--interval", interval);
        if (every.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--interval " + interval + " (expected: more than 0s)");
        }
        Optional<HostPort> api = apiListen.equals("none") ? Optional.empty() : Optional.of(parseAddress(apiListen));
        Path ws = workspace != null ? workspace : Files.createTempDirectory("meshdeck-demo-");
        PrintWriter out = spec.commandLine().getOut();
        StopSignal stop = stopSignal.get();
        CountDownLatch stopRequested = new CountDownLatch(1);
        Thread watcher = new Thread(() -> {
            try {
                stop.awaitStop();
                stopRequested.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "meshdeck-demo-stop");
        watcher.setDaemon(true);
        watcher.start();
        long started = System.nanoTime();
        try (DemoMesh mesh = DemoMesh.start(new DemoMesh.Settings(ws, api, rate))) {
            double upSeconds = (System.currentTimeMillis()
                    - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
            out.printf(Locale.ROOT, "meshdeck demo: mesh up %.1f s after launch; controller xDS on 127.0.0.1:%d%s,"
                            + " workspace %s, %d workloads with sidecars, load %.0f rps on productpage"
                            + " (every 10th as end-user jason)%n",
                    upSeconds, mesh.controller().xdsPort(),
                    mesh.controller().apiAddress().map(a -> ", API on " + a).orElse(""),
                    ws, mesh.workloads().size(), rate);
            out.flush();
            EdgeTable table = new EdgeTable();
            long last = System.nanoTime();
            while (true) {
                long remaining = limit.map(l -> l.toNanos() - (System.nanoTime() - started)).orElse(Long.MAX_VALUE);
                if (remaining <= 0) {
                    break;
                }
                // The last window takes in what is left of the duration, rather than leaving a sliver after it.
                long wait = remaining - every.toNanos() < every.toNanos() / 2 ? remaining : every.toNanos();
                if (stopRequested.await(wait, TimeUnit.NANOSECONDS)) {
                    break;
                }
                long now = System.nanoTime();
                printTable(out, mesh, table, (now - last) / 1e9, (now - started) / 1e9);
                last = now;
                if (limit.isPresent() && now - started >= limit.get().toNanos()) {
                    break;
                }
            }
            out.println("meshdeck demo: stopping");
            out.flush();
        } finally {
            if (workspace == null) {
                removeTemporaryWorkspace(ws);
            }
            stop.stopped();
        }
        return 0;
    }

    /**
     * Removes the workspace the demo made for itself: nothing can use it once the demo is gone, and it holds the
     * mesh CA's private key. A workspace the user named stays.
     */
    private void removeTemporaryWorkspace(Path ws) {
        try {
            Directories.deleteTree(ws);
        } catch (IOException e) {
            spec.commandLine().getErr().println("meshdeck demo: could not remove the temporary workspace " + ws + ": "
                    + e.getMessage());
        }
    }

    private static void printTable(PrintWriter out, DemoMesh mesh, EdgeTable table, double seconds, double elapsed) {
        Map<String, Stats> sidecars = new LinkedHashMap<>();
        sidecars.put("loadgen", mesh.loadSidecar().stats());
        mesh.workloads().forEach((role, w) -> sidecars.put(role.workload(), w.sidecar().stats()));
        out.printf(Locale.ROOT, "%n[%5.1fs]%s%n", elapsed, mesh.load().map(l -> load(l.snapshot())).orElse(""));
        out.print(EdgeTable.format(table.sample(sidecars, seconds)));
        out.flush();
    }

    private static String load(LoadGenerator.Window w) {
        return String.format(Locale.ROOT, " load: %d ok, %d failed, %d dropped, p50 %.1f ms, p99 %.1f ms",
                w.ok(), w.failed(), w.dropped(), w.p50Millis(), w.p99Millis());
    }

    private Duration parse(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    private HostPort parseAddress(String text) {
        try {
            return HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--api-listen " + text + ": " + e.getMessage());
        }
    }
}
