package dev.meshdeck.controller.bench;

import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.controller.config.MeshConfig;
import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.registry.ProxyRegistry;
import dev.meshdeck.controller.registry.RegistryState;
import dev.meshdeck.controller.translate.MeshTranslator;
import dev.meshdeck.controller.translate.TranslatedMesh;
import dev.meshdeck.controller.xds.SnapshotPublisher;
import dev.meshdeck.controller.xds.SyncTracker;
import dev.meshdeck.controller.xds.XdsServer;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How fast a config change reaches many proxies, and what the controller holds for them. The controller side
 * is the real one: an {@link XdsServer} on loopback with the {@link ProxyRegistry}, the {@link SyncTracker} and
 * a {@link SnapshotPublisher} whose snapshots are the {@link MeshTranslator}'s output for the
 * {@link SyntheticMesh}. {@code N} sidecars of that mesh connect as {@link SimulatedProxy}s, in this JVM or in a
 * child JVM ({@link ClientProcess}); the mesh is translated once for all of them, as a controller in a steady
 * state would have it.
 *
 * <p>Once all are in sync, the heap after a full GC is sampled; with the clients in a child JVM, it is the
 * controller's alone. Then each {@link Change} is applied in rounds: the mesh config changes, is translated
 * and published, and for each proxy the time from the change to the controller receiving its ACK of the new
 * route config version is taken (warm-up rounds first, not reported).
 *
 * <p>{@code java -cp ... dev.meshdeck.controller.bench.AdsFanoutBench [proxies] [services] [separate] [clientCpus]}
 */
public final class AdsFanoutBench {
    private static final int HEAP_SAMPLES = 5;

    /** A kind of config change. */
    public enum Change {
        /** The weights of one VirtualService change. */
        ONE_SERVICE("one VirtualService"),
        /** The weights of every VirtualService change. */
        EVERY_SERVICE("every VirtualService");

        private final String description;

        Change(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }

        /** The {@code n}th config of this kind; consecutive ones differ in the services it changes. */
        MeshConfig config(SyntheticMesh mesh, int n) {
            int shift = n % 20 + 1;
            List<Integer> split = List.of(50 - shift, 30, 20 + shift);
            return this == ONE_SERVICE ? mesh.withSplit(0, split) : mesh.withSplitEverywhere(split);
        }
    }

    /**
     * What to run.
     *
     * @param proxies              simulated sidecars
     * @param services             services of the synthetic mesh
     * @param streamsPerConnection ADS streams sharing one TCP connection (1: as real proxies do)
     * @param separateClients      whether the clients run in a child JVM
     * @param clientCpus           CPUs to pin the child JVM to ({@code taskset -c} form), or empty
     * @param warmUpRounds         unreported rounds of each change first
     * @param rounds               reported rounds of each change
     * @param timeout              how long to wait for the proxies at each step before giving up
     */
    public record Settings(int proxies, int services, int streamsPerConnection, boolean separateClients,
                           String clientCpus, int warmUpRounds, int rounds, Duration timeout) {
        public Settings {
            positive("proxies", proxies);
            positive("services", services);
            positive("streamsPerConnection", streamsPerConnection);
            positive("rounds", rounds);
            if (warmUpRounds < 0) {
                throw new IllegalArgumentException("warmUpRounds: " + warmUpRounds + " (expected: 0 or more)");
            }
            clientCpus = clientCpus == null ? "" : clientCpus.trim();
            if (!clientCpus.isEmpty() && !separateClients) {
                throw new IllegalArgumentException("clientCpus: " + clientCpus
                        + " (expected: none unless the clients run in a separate JVM)");
            }
            Objects.requireNonNull(timeout, "timeout");
        }

        /** {@code proxies} and {@code services} with one stream per connection, 1 warm-up and 3 rounds, 5 minutes. */
        public static Settings of(int proxies, int services, boolean separateClients) {
            return new Settings(proxies, services, 1, separateClients, "", 1, 3, Duration.ofMinutes(5));
        }

        private static void positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: 1 or more)");
            }
        }
    }

    /**
     * One measured round of a change.
     *
     * @param change    what changed
     * @param round     1, 2, ...
     * @param translate how long translating the new config took
     * @param publish   how long publishing every proxy's snapshot took (responses serialized and sent)
     * @param ack       per proxy, from the change to the controller receiving the proxy's ACK of it
     */
    public record Round(Change change, int round, Duration translate, Duration publish, Timings ack) {
    }

    /**
     * The figures of one run.
     *
     * @param settings     what was run
     * @param clients      where the clients ran
     * @param connectTime  from the first stream opening to every proxy having ACKed all four types
     * @param heapIdle     bytes of heap in use after GC with the mesh translated, before any client
     * @param heapConnected bytes of heap in use after GC with every proxy connected and in sync, one per sample
     * @param rounds       the measured rounds, by change
     */
    public record Result(Settings settings, String clients, Duration connectTime, long heapIdle,
                         List<Long> heapConnected, List<Round> rounds) {
        public Result {
            heapConnected = List.copyOf(heapConnected);
            rounds = List.copyOf(rounds);
        }

        /** The median of the connected-heap samples. */
        public long heapConnectedMedian() {
            List<Long> sorted = heapConnected.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }

        /** Whether the heap figures are the controller's alone (clients in a separate JVM). */
        public boolean controllerOnlyHeap() {
            return settings.separateClients();
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                    "%d proxies, %d services, clients %s: connect %d ms, heap idle %d MB, connected %d MB (%s)%n",
                    settings.proxies(), settings.services(), clients, connectTime.toMillis(), heapIdle >> 20,
                    heapConnectedMedian() >> 20, controllerOnlyHeap() ? "controller only" : "controller and clients"));
            for (Round r : rounds) {
                b.append(String.format(Locale.ROOT, "  %s #%d: translate %s ms, publish %s ms, change->ACK %s%n",
                        r.change().description(), r.round(), Timings.millis(r.translate()),
                        Timings.millis(r.publish()), r.ack()));
            }
            return b.toString();
        }
    }

    private AdsFanoutBench() {
    }

    public static void main(String[] args) throws InterruptedException {
        int proxies = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int services = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        boolean separate = args.length > 2 && Boolean.parseBoolean(args[2]);
        String cpus = args.length > 3 ? args[3] : "";
        System.out.print(run(new Settings(proxies, services, 1, separate, cpus, 1, 3, Duration.ofMinutes(5))));
    }

    /**
     * Runs the benchmark once.
     *
     * @throws IllegalStateException if the proxies do not get in sync, or do not ACK a change, in time
     */
    public static Result run(Settings settings) throws InterruptedException {
        SyntheticMesh synthetic = new SyntheticMesh(settings.services());
        MeshTranslator translator = new MeshTranslator();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        ProxyRegistry registry = new ProxyRegistry(Clock.systemUTC(), scheduler);
        SimpleCache<String> cache = XdsServer.newCache();
        SyncTracker tracker = new SyncTracker(registry, cache, Clock.systemUTC());
        AckClock routeAcks = new AckClock(Resources.V3.ROUTE_TYPE_URL);
        AtomicReference<TranslatedMesh> current = new AtomicReference<>(
                translator.translate(synthetic.config(), synthetic.registry(settings.proxies())));
        try (XdsServer server = XdsServer.start(new InetSocketAddress("127.0.0.1", 0), cache,
                List.of(registry, tracker, routeAcks));
             SnapshotPublisher publisher = new SnapshotPublisher(cache, registry, p -> current.get().snapshotFor(p))) {
            long heapIdle = heapAfterGc();
            try (SimulatedClients clients = settings.separateClients()
                    ? ClientProcess.start("127.0.0.1", server.port(), synthetic, settings.proxies(),
                    settings.streamsPerConnection(), settings.clientCpus(), settings.timeout())
                    : SimulatedFleet.connect("127.0.0.1", server.port(), synthetic, settings.proxies(),
                    settings.streamsPerConnection())) {
                Duration connectTime = clients.awaitSynced(settings.timeout());
                awaitTrackerSynced(tracker, settings.proxies(), settings.timeout());
                List<Long> heap = new ArrayList<>();
                for (int i = 0; i < HEAP_SAMPLES; i++) {
                    heap.add(heapAfterGc());
                    Thread.sleep(100);
                }
                List<Round> rounds = new ArrayList<>();
                int n = 0;
                for (Change change : Change.values()) {
                    for (int i = -settings.warmUpRounds(); i < settings.rounds(); i++) {
                        Round r = change(change, i + 1, change.config(synthetic, n++), translator, registry, cache,
                                publisher, routeAcks, settings.timeout());
                        if (i >= 0) {
                            rounds.add(r);
                        }
                    }
                }
                return new Result(settings, clients.where(), connectTime, heapIdle, heap, rounds);
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static Round change(Change change, int round, MeshConfig config, MeshTranslator translator,
                                ProxyRegistry registry, SimpleCache<String> cache, SnapshotPublisher publisher,
                                AckClock acks, Duration timeout) throws InterruptedException {
        RegistryState members = registry.state();
        Map<String, String> before = new HashMap<>();
        for (ProxyInfo p : members.proxies()) {
            before.put(p.nodeId(), cache.getSnapshot(p.nodeId()).version(Resources.ResourceType.ROUTE));
        }
        acks.arm(before);
        long t0 = System.nanoTime();
        TranslatedMesh next = translator.translate(config, members);
        long t1 = System.nanoTime();
        publisher.publishAll(next::snapshotFor);
        long t2 = System.nanoTime();
        Map<String, AckClock.Ack> received = acks.await(timeout);
        long[] latencies = new long[received.size()];
        int i = 0;
        for (Map.Entry<String, AckClock.Ack> e : received.entrySet()) {
            Snapshot published = cache.getSnapshot(e.getKey());
            String expected = published.version(Resources.ResourceType.ROUTE);
            if (!e.getValue().version().equals(expected)) {
                throw new IllegalStateException(e.getKey() + " ACKed route version " + e.getValue().version()
                        + " (expected: " + expected + ")");
            }
            latencies[i++] = e.getValue().nanoTime() - t0;
        }
        return new Round(change, round, Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1), Timings.of(latencies));
    }

    /** Waits, polling, until the controller sees every proxy connected and in sync on all four types. */
    private static void awaitTrackerSynced(SyncTracker tracker, int proxies, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long synced = tracker.statuses().stream().filter(AdsFanoutBench::inSync).count();
            if (synced == proxies) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the controller sees " + synced + " of " + proxies
                        + " proxies in sync after " + timeout);
            }
            Thread.sleep(20);
        }
    }

    private static boolean inSync(ProxyStatus s) {
        return s.connected() && List.of("CDS", "EDS", "LDS", "RDS").stream().allMatch(type -> {
            ProxyStatus.TypeSync sync = s.types().get(type);
            return sync != null && sync.state() == ProxyStatus.SyncState.SYNCED;
        });
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
