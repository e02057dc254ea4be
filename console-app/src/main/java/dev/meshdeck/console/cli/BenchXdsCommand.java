package dev.meshdeck.console.cli;

import dev.meshdeck.controller.bench.AdsFanoutBench;
import dev.meshdeck.controller.bench.Timings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshdeck bench xds}: how fast a config change reaches many proxies, and the controller's heap. */
@Command(name = "xds",
        description = "Time from a config change to its ACK by every one of N simulated ADS clients (sidecars of a"
                + " synthetic mesh), and the controller's heap with all of them connected.",
        mixinStandardHelpOptions = true)
final class BenchXdsCommand implements Callable<Integer> {
    /** java-control-plane logs every stream's end at INFO: a thousand lines when the clients go. */
    private static final Logger XDS_LOG = Logger.getLogger("io.envoyproxy.controlplane");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--proxies", paramLabel = "N", defaultValue = "1000",
            description = "Simulated sidecars, one ADS stream each (default: ${DEFAULT-VALUE}).")
    int proxies;

    @Option(names = "--services", paramLabel = "N", defaultValue = "50",
            description = "Services of the synthetic mesh (default: ${DEFAULT-VALUE}).")
    int services;

    @Option(names = "--separate-clients",
            description = "Run the clients in a child JVM, so that the heap figures are the controller's alone.")
    boolean separateClients;

    @Option(names = "--client-cpus", paramLabel = "LIST", defaultValue = "",
            description = "Pin the clients' JVM to these CPUs with taskset (e.g. 1); needs --separate-clients and Linux.")
    String clientCpus;

    @Option(names = "--streams-per-connection", paramLabel = "N", defaultValue = "1",
            description = "ADS streams sharing one TCP connection (default: ${DEFAULT-VALUE}, as real proxies).")
    int streamsPerConnection;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "Measured rounds of each change (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warm-up", paramLabel = "N", defaultValue = "1",
            description = "Unreported rounds of each change first (default: ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Give up when the clients take longer than this at any step (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        AdsFanoutBench.Settings settings;
        try {
            settings = new AdsFanoutBench.Settings(proxies, services, streamsPerConnection, separateClients,
                    clientCpus, warmUp, rounds, Duration.ofSeconds(timeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        XDS_LOG.setLevel(Level.WARNING);
        AdsFanoutBench.Result r;
        try {
            r = AdsFanoutBench.run(settings);
        } catch (IllegalStateException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        print(r, spec.commandLine().getOut());
        return 0;
    }

    static void print(AdsFanoutBench.Result r, PrintWriter out) {
        AdsFanoutBench.Settings s = r.settings();
        out.printf("xds: %d proxies (sidecars, one ADS stream each, %d per TCP connection), %d services x 3 versions,"
                        + " clients %s%n%n", s.proxies(), s.streamsPerConnection(), s.services(), r.clients());
        String whose = r.controllerOnlyHeap() ? "controller only" : "controller and clients";
        long max = r.heapConnected().stream().mapToLong(Long::longValue).max().orElse(0);
        Table summary = new Table("FIGURE", "VALUE", "NOTE");
        summary.add("connect", r.connectTime().toMillis() + " ms", "first stream to all " + s.proxies() + " in sync");
        summary.add("heap idle", mb(r.heapIdle()), "after GC, mesh translated, no client; " + whose);
        summary.add("heap connected", mb(r.heapConnectedMedian()), "after GC, median of "
                + r.heapConnected().size() + " samples (max " + mb(max) + "); " + whose);
        summary.print(out);
        out.println();
        Table rounds = new Table("CHANGE", "ROUND", "TRANSLATE", "PUBLISH", "ACK P50", "ACK P99", "ACK MAX");
        for (AdsFanoutBench.Round round : r.rounds()) {
            Timings ack = round.ack();
            rounds.add(round.change().description(), round.round(), ms(round.translate()), ms(round.publish()),
                    ms(ack.median()), ms(ack.p99()), ms(ack.max()));
        }
        rounds.print(out);
        out.println();
        out.println("ACK: from the config change to the controller receiving each proxy's ACK of the new routes.");
        out.flush();
    }

    private static String ms(Duration d) {
        return Timings.millis(d) + " ms";
    }

    private static String mb(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
