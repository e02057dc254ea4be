package dev.meshdeck.console.cli;

import dev.meshdeck.console.bench.LoadResult;
import dev.meshdeck.console.bench.ProxyBench;
import dev.meshdeck.console.bench.Timeline;
import dev.meshdeck.controller.config.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshdeck bench proxy}: the latency, CPU and memory of our sidecar pair next to HAProxy's and to none. */
@Command(name = "proxy",
        description = "Latency our sidecar pair adds (client sidecar -> server sidecar -> app) under open-loop"
                + " HTTP/1.1 load, next to a direct path and an HAProxy pair, with the pairs' CPU and a sidecar's memory;"
                + " --saturate: maximum throughput instead.",
        mixinStandardHelpOptions = true)
final class BenchProxyCommand implements Callable<Integer> {
    /** Targets (issue 3, "Speed"). */
    static final double TARGET_ADDED_P99_MS = 1.0;
    static final double TARGET_RSS_MB = 80;
    static final double TARGET_SATURATION_SHARE = 0.5;
    /** A second of load is "settled" when its p99 is at most this and nothing failed. */
    static final double SETTLED_P99_MS = 5.0;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "1000",
            description = "Requests per second, open loop (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "16",
            description = "Keep-alive HTTP/1.1 connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--duration", paramLabel = "D", defaultValue = "30s",
            description = "Measured time per path (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--warm-up", paramLabel = "D", defaultValue = "10s",
            description = "Unmeasured load before each path's measured time (default: ${DEFAULT-VALUE}).")
    String warmUp;

    @Option(names = "--body-bytes", paramLabel = "N", defaultValue = "1024",
            description = "Response body size (default: ${DEFAULT-VALUE}).")
    int bodyBytes;

    @Option(names = "--saturate",
            description = "Closed loop: every connection sends again as soon as it has its answer; reports maximum"
                    + " throughput (pin the proxies to one CPU with --proxy-cpus).")
    boolean saturate;

    @Option(names = "--no-haproxy", description = "Leave the HAProxy pair out.")
    boolean noHaproxy;

    @Option(names = "--load-cpus", paramLabel = "LIST", defaultValue = "",
            description = "Pin this JVM (load generator and backend) to these CPUs with taskset, e.g. 1.")
    String loadCpus;

    @Option(names = "--proxy-cpus", paramLabel = "LIST", defaultValue = "",
            description = "Pin the proxy processes (both sidecars, both haproxies) to these CPUs with taskset, e.g. 0.")
    String proxyCpus;

    @Option(names = "--sidecar-jvm-options", paramLabel = "OPTIONS",
            description = "The sidecar JVMs' options, space-separated (default: those meshdeck sidecar runs with, "
                    + "-XX:+UseSerialGC -Xms16m -Xmx256m ...; the malloc environment stays).")
    String sidecarJvmOptions;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "1",
            description = "Cut each path's measured time into N slices taken in turn (direct, meshdeck, haproxy,"
                    + " direct, ...; each slice after the first has its own 2 s warm-up), so that a change in what else"
                    + " the machine runs falls on every path alike (default: ${DEFAULT-VALUE}: each path in one piece).")
    int rounds;

    @Option(names = "--timeline",
            description = "Also print each path's load second by second, warm-up included (p50, p99, errors):"
                    + " how long a freshly started sidecar takes to warm up.")
    boolean timeline;

    @Override
    public Integer call() throws Exception {
        ProxyBench.Settings settings;
        try {
            SidecarRuntime defaults = SidecarRuntime.defaults();
            SidecarRuntime sidecar = sidecarJvmOptions == null ? defaults : new SidecarRuntime(
                    Arrays.stream(sidecarJvmOptions.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList(),
                    defaults.environment());
            settings = new ProxyBench.Settings(saturate, rate, connections, parse("--warm-up", warmUp),
                    parse("--duration", duration), bodyBytes, !noHaproxy, loadCpus, proxyCpus, sidecar, rounds);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ProxyBench.Result r;
        try {
            r = ProxyBench.run(settings);
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        print(r, spec.commandLine().getOut(), timeline);
        return 0;
    }

    static void print(ProxyBench.Result r, PrintWriter out, boolean timeline) {
        ProxyBench.Settings s = r.settings();
        String load = s.saturate() ? "closed loop (saturation)" : "open loop, " + num(s.rate()) + " requests/s";
        String measured = s.rounds() == 1 ? secs(s.duration()) + " measured per path"
                : secs(s.duration()) + " measured per path in " + s.rounds() + " slices of " + secs(s.slice())
                        + " taken in turn";
        out.printf(Locale.ROOT, "proxy: %s over %d keep-alive HTTP/1.1 connections, %d-byte responses, %s warm-up + %s;"
                        + " load + backend on CPUs %s, proxies on CPUs %s (%s)%n",
                load, s.connections(), s.bodyBytes(), secs(s.warmUp()), measured, cpus(s.loadCpus()),
                cpus(s.proxyCpus()), r.transport());
        for (String note : r.notes()) {
            out.println("note: " + note);
        }
        out.println();
        Table paths = new Table("PATH", "REQUESTS", "ERRORS", "REQ/S", "P50", "P90", "P99", "P99.9", "MAX");
        for (ProxyBench.PathResult p : r.paths()) {
            LoadResult l = p.load();
            paths.add(p.name(), l.completed(), l.errors(), num(l.throughput()), ms(l.millisAt(50)), ms(l.millisAt(90)),
                    ms(l.millisAt(99)), ms(l.millisAt(99.9)), ms(l.maxMillis()));
        }
        paths.print(out);
        out.println();
        boolean steal = printSteal(r, out);
        if (steal) {
            out.println();
        }

        Optional<ProxyBench.PathResult> direct = r.path("direct");
        Optional<ProxyBench.PathResult> haproxy = r.path("haproxy");
        List<ProxyBench.PathResult> pairs = r.paths().stream().filter(p -> p.proxyCpu().isPresent()).toList();
        if (s.saturate()) {
            Table t = new Table("PAIR", "REQ/S", "VS HAPROXY", "CPU (CORES)");
            for (ProxyBench.PathResult p : pairs) {
                t.add(p.name(), num(p.load().throughput()),
                        haproxy.map(h -> ratio(p.load().throughput() / h.load().throughput())).orElse("-"),
                        String.format(Locale.ROOT, "%.2f", p.cores().orElseThrow()));
            }
            t.print(out);
        } else {
            Table t = new Table("PAIR", "ADDED P50", "ADDED P90", "ADDED P99", "P99 VS HAPROXY", "CPU PER 1000 REQ/S");
            for (ProxyBench.PathResult p : pairs) {
                t.add(p.name(), ms(added(p, direct, 50)), ms(added(p, direct, 90)), ms(added(p, direct, 99)),
                        haproxy.map(h -> ratio(added(p, direct, 99) / added(h, direct, 99))).orElse("-"),
                        String.format(Locale.ROOT, "%.1f%% of a core", 100 * p.cores().orElseThrow()
                                / (p.load().throughput() / 1000)));
            }
            t.print(out);
            out.println();
            out.printf(Locale.ROOT, "settled (from then on every second's p99 <= %.1f ms, no errors), seconds after"
                    + " each path's first request, warm-up included%s: %s%n", SETTLED_P99_MS,
                    s.rounds() == 1 ? "" : " (its first slice)", r.paths().stream()
                    .map(p -> p.name() + " " + settled(p.load().timeline())).collect(Collectors.joining(", ")));
        }
        if (timeline) {
            out.println();
            if (s.rounds() > 1) {
                out.println("each path's first slice, warm-up included:");
            }
            printTimeline(r.paths(), out);
        }
        out.println();
        out.printf(Locale.ROOT, "sidecar memory (VmRSS at the end): client %s, server %s%n", mb(r.clientSidecarRss()),
                mb(r.serverSidecarRss()));
        out.println("sidecar JVM options: " + String.join(" ", s.sidecar().jvmOptions()));
        out.println("sidecar environment: " + s.sidecar().environment().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        out.println();
        Optional<ProxyBench.PathResult> ours = r.path("meshdeck");
        double rss = Math.max(r.clientSidecarRss(), r.serverSidecarRss()) / (1024.0 * 1024.0);
        out.printf(Locale.ROOT, "target: a sidecar <= %.0f MB resident: %s (%.1f MB)%n", TARGET_RSS_MB,
                met(rss <= TARGET_RSS_MB), rss);
        if (s.saturate()) {
            if (ours.isPresent() && haproxy.isPresent()) {
                double share = ours.get().load().throughput() / haproxy.get().load().throughput();
                out.printf(Locale.ROOT, "target: our pair >= %.0f%% of HAProxy's throughput: %s (%.0f%%)%n",
                        100 * TARGET_SATURATION_SHARE, met(share >= TARGET_SATURATION_SHARE), 100 * share);
            }
        } else if (ours.isPresent()) {
            double p99 = added(ours.get(), direct, 99);
            out.printf(Locale.ROOT, "target: our pair adds <= %.1f ms at p99: %s (%.3f ms)%n", TARGET_ADDED_P99_MS,
                    met(p99 <= TARGET_ADDED_P99_MS), p99);
        }
        out.println();
        out.println(s.saturate()
                ? "REQ/S: answers per second over the measured time; CPU: both proxies of the pair, in cores."
                : "Latency from each request's intended send time (open loop, no coordinated omission);"
                        + " ADDED: the pair's percentile minus direct's; CPU: both proxies of the pair.");
        if (steal) {
            out.println("STEAL: the share of those CPUs' time in the measured window that the hypervisor gave to"
                    + " something else (/proc/stat, top's st); a proxy that is not running cannot answer.");
        }
        out.flush();
    }

    /**
     * Each path's steal on the proxy CPUs and on the load CPUs (one column for every CPU when nothing is pinned);
     * false if no path has it.
     */
    private static boolean printSteal(ProxyBench.Result r, PrintWriter out) {
        if (r.paths().stream().allMatch(p -> p.steal().isEmpty())) {
            return false;
        }
        ProxyBench.Settings s = r.settings();
        boolean unpinned = s.proxyCpus().isEmpty() && s.loadCpus().isEmpty();
        Table t = unpinned ? new Table("PATH", "STEAL (ALL CPUS)")
                : new Table("PATH", "STEAL ON PROXY CPUS " + cpus(s.proxyCpus()), "STEAL ON LOAD CPUS " + cpus(s.loadCpus()));
        for (ProxyBench.PathResult p : r.paths()) {
            Optional<ProxyBench.Steal> steal = p.steal();
            String proxies = steal.flatMap(st -> st.proxyCpus().stealShare()).map(BenchProxyCommand::percent).orElse("-");
            if (unpinned) {
                t.add(p.name(), proxies);
            } else {
                t.add(p.name(), proxies,
                        steal.flatMap(st -> st.loadCpus().stealShare()).map(BenchProxyCommand::percent).orElse("-"));
            }
        }
        t.print(out);
        return true;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    private static String settled(Timeline timeline) {
        OptionalInt after = timeline.settledAfter(SETTLED_P99_MS);
        return after.isPresent() ? Integer.toString(after.getAsInt()) : "never";
    }

    /** One row per second of the run, with each path's p50, p99 and errors in that second. */
    private static void printTimeline(List<ProxyBench.PathResult> paths, PrintWriter out) {
        List<String> header = new ArrayList<>(List.of("SECOND"));
        for (ProxyBench.PathResult p : paths) {
            String name = p.name().toUpperCase(Locale.ROOT);
            header.addAll(List.of(name + " P50", name + " P99", name + " ERRORS"));
        }
        Table t = new Table(header.toArray(String[]::new));
        List<List<Timeline.Second>> seconds = paths.stream().map(p -> p.load().timeline().seconds()).toList();
        int rows = seconds.stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < rows; i++) {
            List<Object> row = new ArrayList<>(List.of(i));
            for (List<Timeline.Second> path : seconds) {
                if (i < path.size()) {
                    Timeline.Second sec = path.get(i);
                    row.addAll(List.of(ms(sec.p50()), ms(sec.p99()), sec.errors()));
                } else {
                    row.addAll(List.of("-", "-", "-"));
                }
            }
            t.add(row.toArray());
        }
        t.print(out);
    }

    private static double added(ProxyBench.PathResult p, Optional<ProxyBench.PathResult> direct, double percentile) {
        return p.load().millisAt(percentile) - direct.map(d -> d.load().millisAt(percentile)).orElse(0.0);
    }

    private Duration parse(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    private static String met(boolean met) {
        return met ? "met" : "MISSED";
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.3f ms", millis);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "x%.2f", v) : "-";
    }

    private static String secs(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String cpus(String cpus) {
        return cpus.isEmpty() ? "any" : cpus;
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
