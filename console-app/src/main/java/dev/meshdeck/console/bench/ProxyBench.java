package dev.meshdeck.console.bench;

import dev.meshdeck.console.cli.SidecarRuntime;
import dev.meshdeck.console.io.Directories;
import dev.meshdeck.controller.ControllerServer;
import dev.meshdeck.controller.api.ApplyResult;
import dev.meshdeck.controller.api.SourceFile;
import dev.meshdeck.controller.api.grpc.HostPort;
import dev.meshdeck.controller.config.ConfigError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code meshdeck bench proxy}: the latency our sidecar pair adds to a request, its CPU and its memory, next to
 * HAProxy's pair and to no proxy at all, all in one run.
 *
 * <p>The backend and the load generator run in this JVM (one event loop thread each), optionally pinned to the
 * load CPUs; the proxies run as child processes pinned to the proxy CPUs: two {@code meshdeck sidecar} JVMs
 * programmed by a controller embedded here, and two haproxy processes. The paths are measured one after the
 * other with the same load: direct, meshdeck, haproxy. With more than one round, each path's measured time is cut
 * into that many slices taken in turn (direct, meshdeck, haproxy, direct, ...), so that a change in what else the
 * machine runs falls on every path alike.
 */
public final class ProxyBench {
    /** The route the controller programs: everything for {@code backend} to the backend's workloads. */
    static final String VIRTUAL_SERVICE = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: backend
            spec:
              hosts:
              - backend
              http:
              - route:
                - destination:
                    host: backend
            """;

    /**
     * How to run the benchmark.
     *
     * @param saturate          closed loop (maximum throughput) instead of the open-loop rate
     * @param rate              requests per second (open loop)
     * @param connections       keep-alive connections of the load generator
     * @param warmUp            load before each measured window
     * @param duration          each path's measured window
     * @param bodyBytes         the backend's response body size
     * @param haproxy           measure the HAProxy pair too (if haproxy is installed)
     * @param loadCpus          CPUs for this JVM (load generator, backend), {@code taskset -c} form; empty: not pinned
     * @param proxyCpus         CPUs for the proxy processes; empty: not pinned
     * @param sidecar           how the sidecar processes run (JVM options, environment)
     * @param rounds            slices each path's measured time is cut into, taken in turn (1: one piece each)
     */
    public record Settings(boolean saturate, double rate, int connections, Duration warmUp, Duration duration,
                           int bodyBytes, boolean haproxy, String loadCpus, String proxyCpus,
                           SidecarRuntime sidecar, int rounds) {
        /** The warm-up before a slice after the first: new connections, and each pair's caches after the others ran. */
        public static final Duration ROUND_WARM_UP = Duration.ofSeconds(2);

        /** Settings measuring each path in one piece. */
        public Settings(boolean saturate, double rate, int connections, Duration warmUp, Duration duration,
                        int bodyBytes, boolean haproxy, String loadCpus, String proxyCpus, SidecarRuntime sidecar) {
            this(saturate, rate, connections, warmUp, duration, bodyBytes, haproxy, loadCpus, proxyCpus, sidecar, 1);
        }

        public Settings {
            if (!saturate && !(rate > 0)) {
                throw new IllegalArgumentException("rate: " + rate + " (expected: more than 0 requests/s)");
            }
            if (connections < 1) {
                throw new IllegalArgumentException("connections: " + connections + " (expected: 1 or more)");
            }
            Objects.requireNonNull(warmUp, "warmUp");
            Objects.requireNonNull(duration, "duration");
            if (warmUp.isNegative()) {
                throw new IllegalArgumentException("warmUp: " + warmUp + " (expected: 0 or more)");
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration: " + duration + " (expected: more than 0)");
            }
            if (bodyBytes < 0) {
                throw new IllegalArgumentException("bodyBytes: " + bodyBytes + " (expected: 0 or more)");
            }
            loadCpus = Objects.requireNonNullElse(loadCpus, "");
            proxyCpus = Objects.requireNonNullElse(proxyCpus, "");
            for (String cpus : List.of(loadCpus, proxyCpus)) {
                if (!cpus.matches("[0-9,\\-]*")) {
                    throw new IllegalArgumentException("cpus: " + cpus + " (expected: a taskset -c list such as 0 or 0-1,3)");
                }
                CpuTicks.cpuList(cpus); // a part that is neither a CPU nor a range is refused here
            }
            Objects.requireNonNull(sidecar, "sidecar");
            if (rounds < 1 || rounds > 100) {
                throw new IllegalArgumentException("rounds: " + rounds + " (expected: 1..100)");
            }
            if (duration.dividedBy(rounds).toMillis() < 100) {
                throw new IllegalArgumentException("rounds: " + rounds + " slices of " + duration
                        + " are under 100 ms each (expected: a longer duration or fewer rounds)");
            }
        }

        /** Each slice's measured time. */
        public Duration slice() {
            return duration.dividedBy(rounds);
        }
    }

    /**
     * One path's figures.
     *
     * @param name     direct, meshdeck or haproxy
     * @param load     what the load generator saw
     * @param proxyCpu the pair's CPU time (both processes) over the measured window; empty for direct
     * @param steal    the machine's CPUs over the measured window; empty where {@code /proc/stat} cannot be read
     */
    public record PathResult(String name, LoadResult load, Optional<Duration> proxyCpu, Optional<Steal> steal) {
        public PathResult {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(load, "load");
            Objects.requireNonNull(proxyCpu, "proxyCpu");
            Objects.requireNonNull(steal, "steal");
        }

        /** This path measured over {@code more} too: its next slice (same name). */
        public PathResult plus(PathResult more) {
            if (!more.name.equals(name)) {
                throw new IllegalArgumentException("path " + more.name + " added to " + name);
            }
            Optional<Duration> cpu = proxyCpu.isPresent() && more.proxyCpu.isPresent()
                    ? Optional.of(proxyCpu.get().plus(more.proxyCpu.get())) : Optional.empty();
            Optional<Steal> both = steal.isPresent() && more.steal.isPresent()
                    ? Optional.of(steal.get().plus(more.steal.get())) : Optional.empty();
            return new PathResult(name, load.plus(more.load), cpu, both);
        }

        /** The pair's CPU, in cores busy (1.0 = one core all the time) over the measured window. */
        public Optional<Double> cores() {
            return proxyCpu.map(cpu -> cpu.toNanos() / (double) load.window().toNanos());
        }
    }

    /**
     * The proxy CPUs' and the load CPUs' ticks over a measured window ({@code /proc/stat}; unpinned: every CPU):
     * how much of their time the hypervisor gave to something else.
     */
    public record Steal(CpuTicks proxyCpus, CpuTicks loadCpus) {
        public Steal {
            Objects.requireNonNull(proxyCpus, "proxyCpus");
            Objects.requireNonNull(loadCpus, "loadCpus");
        }

        public Steal plus(Steal more) {
            return new Steal(proxyCpus.plus(more.proxyCpus), loadCpus.plus(more.loadCpus));
        }
    }

    /**
     * The benchmark's figures.
     *
     * @param settings        how it ran
     * @param transport       the load generator's and backend's socket transport
     * @param paths           direct, meshdeck and (if measured) haproxy, in that order
     * @param notes           what was left out and why
     * @param clientSidecarRss the client sidecar's resident memory at the end, bytes
     * @param serverSidecarRss the server sidecar's resident memory at the end, bytes
     */
    public record Result(Settings settings, String transport, List<PathResult> paths, List<String> notes,
                         long clientSidecarRss, long serverSidecarRss) {
        public Result {
            paths = List.copyOf(paths);
            notes = List.copyOf(notes);
        }

        public Optional<PathResult> path(String name) {
            return paths.stream().filter(p -> p.name().equals(name)).findFirst();
        }
    }

    private ProxyBench() {
    }

    public static Result run(Settings settings) throws InterruptedException, IOException {
        List<String> notes = new ArrayList<>();
        if (!settings.loadCpus().isEmpty()) {
            pinThisProcess(settings.loadCpus());
        }
        Optional<Path> haproxy = settings.haproxy() ? HaproxyPair.find() : Optional.empty();
        if (settings.haproxy() && haproxy.isEmpty()) {
            notes.add("haproxy: not installed (Debian: apt-get install haproxy), so the HAProxy pair is not measured");
        } else if (!settings.haproxy()) {
            notes.add("haproxy: left out (--no-haproxy)");
        }
        Path workDir = Files.createTempDirectory("meshdeck-bench-proxy");
        // A run stopped by Ctrl-C or kill leaves no temporary directory (its children stop too: ChildProcess).
        Thread removeWorkDir = new Thread(() -> deleteRecursively(workDir), "bench-proxy-work-dir");
        Runtime.getRuntime().addShutdownHook(removeWorkDir);
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        ExecutorService sampler = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bench-proxy-cpu-sampler");
            t.setDaemon(true);
            return t;
        });
        try {
            Backend backend = Backend.start(settings.bodyBytes(), 1);
            opened.push(backend);
            ControllerServer controller = ControllerServer.start(new ControllerServer.Settings(Optional.empty(),
                    HostPort.parse("127.0.0.1:0"), Optional.empty(), workDir.resolve("workspace"), false,
                    Duration.ofSeconds(10)));
            opened.push(controller);
            ApplyResult applied = controller.controlPlane().apply(
                    List.of(new SourceFile("bench/backend.yaml", VIRTUAL_SERVICE)), false, true);
            if (!applied.valid()) {
                throw new IllegalStateException("the benchmark's config does not validate: " + applied.errors().stream()
                        .map(ConfigError::toString).collect(Collectors.joining("; ")));
            }
            SidecarPair sidecars = SidecarPair.start("127.0.0.1:" + controller.xdsPort(), backend.port(),
                    settings.proxyCpus(), settings.sidecar());
            opened.push(sidecars);
            List<ProxyPair> pairs = new ArrayList<>(List.of(sidecars));
            if (haproxy.isPresent()) {
                HaproxyPair pair = HaproxyPair.start(haproxy.get(), workDir, backend.port(), settings.proxyCpus());
                opened.push(pair);
                pairs.add(pair);
            }
            InetSocketAddress direct = new InetSocketAddress("127.0.0.1", backend.port());
            Probe.awaitOk("the backend", direct, SidecarPair.SERVICE, Duration.ofSeconds(10));

            HttpLoad.Mode mode = settings.saturate() ? HttpLoad.Mode.CLOSED_LOOP : HttpLoad.Mode.OPEN_LOOP;
            HttpLoad.Settings first = new HttpLoad.Settings(mode, settings.rate(), settings.connections(),
                    settings.warmUp(), settings.slice(), DRAIN_TIMEOUT);
            HttpLoad.Settings next = new HttpLoad.Settings(mode, settings.rate(), settings.connections(),
                    min(settings.warmUp(), Settings.ROUND_WARM_UP), settings.slice(), DRAIN_TIMEOUT);
            List<Target> targets = new ArrayList<>();
            targets.add(new Target("direct", direct, SidecarPair.SERVICE, null));
            for (ProxyPair pair : pairs) {
                targets.add(new Target(pair.name(), pair.entry(), pair.host(), pair));
            }
            List<PathResult> paths = new ArrayList<>();
            try (HttpLoad generator = new HttpLoad()) {
                Set<Integer> proxyCpus = CpuTicks.cpuList(settings.proxyCpus());
                Set<Integer> loadCpus = CpuTicks.cpuList(settings.loadCpus());
                for (Target target : targets) {
                    paths.add(measure(generator, target, first, sampler, proxyCpus, loadCpus));
                }
                for (int round = 2; round <= settings.rounds(); round++) {
                    for (int i = 0; i < targets.size(); i++) {
                        paths.set(i, paths.get(i).plus(measure(generator, targets.get(i), next, sampler, proxyCpus,
                                loadCpus)));
                    }
                }
            }
            long clientRss = sidecars.processes().get(0).residentBytes();
            long serverRss = sidecars.processes().get(1).residentBytes();
            return new Result(settings, NettyTransport.best().name().toLowerCase(java.util.Locale.ROOT), paths, notes,
                    clientRss, serverRss);
        } finally {
            sampler.shutdownNow();
            while (!opened.isEmpty()) {
                try {
                    opened.pop().close();
                } catch (Exception e) {
                    System.getLogger(ProxyBench.class.getName()).log(System.Logger.Level.WARNING, "closing", e);
                }
            }
            deleteRecursively(workDir);
            try {
                Runtime.getRuntime().removeShutdownHook(removeWorkDir);
            } catch (IllegalStateException exiting) {
                // The JVM is exiting: the hook runs or has run, and finds the directory gone.
            }
        }
    }

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    /** A path to measure: its entry, the host it is asked for, and the pair behind it (null: direct). */
    private record Target(String name, InetSocketAddress entry, String host, ProxyPair pair) {
    }

    /**
     * One path under load, with the CPU time the pair's two processes spent in the measured window and the
     * machine's steal on the proxy and load CPUs.
     */
    private static PathResult measure(HttpLoad generator, Target path, HttpLoad.Settings load, ExecutorService sampler,
                                      Set<Integer> proxyCpus, Set<Integer> loadCpus) throws InterruptedException {
        Window start = new Window();
        Window end = new Window();
        LoadResult result = generator.run(path.entry(), path.host(), load,
                () -> sampler.execute(() -> start.sample(path.pair(), proxyCpus, loadCpus)),
                () -> sampler.execute(() -> end.sample(path.pair(), proxyCpus, loadCpus)));
        // The sampler ran both samples before anything queued after them.
        try {
            sampler.submit(() -> { }).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the CPU sampler did not finish", e);
        }
        Optional<Duration> cpu = path.pair() == null ? Optional.empty()
                : Optional.of(Duration.ofNanos(end.pairCpuNanos - start.pairCpuNanos));
        Optional<Steal> steal = start.proxyCpus.isPresent() && start.loadCpus.isPresent()
                && end.proxyCpus.isPresent() && end.loadCpus.isPresent()
                ? Optional.of(new Steal(end.proxyCpus.get().since(start.proxyCpus.get()),
                        end.loadCpus.get().since(start.loadCpus.get())))
                : Optional.empty();
        return new PathResult(path.name(), result, cpu, steal);
    }

    /** What the sampler thread reads at one edge of a measured window. */
    private static final class Window {
        long pairCpuNanos;
        Optional<CpuTicks> proxyCpus = Optional.empty();
        Optional<CpuTicks> loadCpus = Optional.empty();

        void sample(ProxyPair pair, Set<Integer> proxies, Set<Integer> load) {
            if (pair != null) {
                pairCpuNanos = cpuNanos(pair);
            }
            proxyCpus = CpuTicks.read(proxies);
            loadCpus = CpuTicks.read(load);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static long cpuNanos(ProxyPair pair) {
        return pair.processes().stream().mapToLong(p -> p.cpuTime().toNanos()).sum();
    }

    /** Pins every thread of this JVM (and the threads it starts later, which inherit it) to {@code cpus}. */
    private static void pinThisProcess(String cpus) throws InterruptedException {
        List<String> command = List.of("taskset", "-a", "-p", "-c", cpus, Long.toString(ProcessHandle.current().pid()));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run taskset to pin the load to CPUs " + cpus, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try {
            Directories.deleteTree(dir);
        } catch (IOException e) {
            // A temporary directory left behind; nothing else depends on it.
        }
    }
}
