package dev.meshdeck.controller.bench;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshdeck.controller.registry.ProxyRegistry;
import dev.meshdeck.controller.xds.SnapshotPublisher;
import dev.meshdeck.controller.xds.SyncTracker;
import dev.meshdeck.controller.xds.XdsServer;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How fast a config change reaches many proxies: an xDS server on loopback, {@code N} simulated proxies
 * (one ADS stream each, subscribed to LDS, RDS, CDS and EDS, ACKing everything), then a route weight change
 * for all of them; for each proxy, the time from the change to its ACK of the new route version. Also the
 * heap in use with all of them connected, after a GC. The simulated proxies run in the same JVM, so that
 * figure includes them: it bounds the controller's share from above.
 *
 * <p>Run: {@code java -cp <controller classpath> dev.meshdeck.controller.bench.AdsFanoutBench [proxies]
 * [streamsPerChannel] [services]}.
 */
public final class AdsFanoutBench {
    private static final List<String> TYPES = List.of(Resources.V3.CLUSTER_TYPE_URL, Resources.V3.ENDPOINT_TYPE_URL,
            Resources.V3.LISTENER_TYPE_URL, Resources.V3.ROUTE_TYPE_URL);

    /**
     * The figures of one run.
     *
     * @param proxies      how many proxies
     * @param connectTime  from opening the first stream to every proxy having ACKed all four types
     * @param publishTime  how long {@code publishAll} of the change took (snapshots built and sent)
     * @param p50          median change-to-ACK time
     * @param p99          99th percentile change-to-ACK time
     * @param max          slowest change-to-ACK time
     * @param heapUsedBytes heap in use after GC with every proxy connected and synced (server and clients)
     */
    public record Result(int proxies, Duration connectTime, Duration publishTime, Duration p50, Duration p99,
                         Duration max, long heapUsedBytes) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "proxies=%d connect=%d ms publishAll=%d ms change->ACK p50=%.1f ms p99=%.1f ms max=%.1f ms heap=%d MB",
                    proxies, connectTime.toMillis(), publishTime.toMillis(), p50.toNanos() / 1e6,
                    p99.toNanos() / 1e6, max.toNanos() / 1e6, heapUsedBytes / (1024 * 1024));
        }
    }

    private AdsFanoutBench() {
    }

    public static void main(String[] args) throws InterruptedException {
        int proxies = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int perChannel = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int services = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        // A first, smaller round warms the JIT up, as a long-running controller would be.
        run(Math.min(proxies, 200), perChannel, services, Duration.ofMinutes(2));
        System.out.println(run(proxies, perChannel, services, Duration.ofMinutes(5)));
    }

    /**
     * Runs the benchmark once.
     *
     * @param proxies    how many simulated proxies
     * @param perChannel how many of their streams share one gRPC channel (one TCP connection)
     * @param services   how many services the synthetic mesh has
     * @param timeout    how long to wait for the proxies at each step before giving up
     * @throws IllegalStateException if the proxies do not get in sync within {@code timeout}
     */
    public static Result run(int proxies, int perChannel, int services, Duration timeout) throws InterruptedException {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        ProxyRegistry registry = new ProxyRegistry(Clock.systemUTC(), scheduler);
        SimpleCache<String> cache = XdsServer.newCache();
        SyncTracker tracker = new SyncTracker(registry, cache, Clock.systemUTC());
        AtomicReference<BenchMesh> mesh = new AtomicReference<>(new BenchMesh(services, proxies, 90));
        List<ManagedChannel> channels = new ArrayList<>();
        List<SimulatedProxy> clients = new ArrayList<>();
        try (XdsServer server = XdsServer.start(new InetSocketAddress("127.0.0.1", 0), cache, List.of(registry, tracker));
             SnapshotPublisher publisher = new SnapshotPublisher(cache, registry, p -> mesh.get().snapshotFor(p))) {
            long[] ackedAt = new long[proxies];
            AtomicReference<String> awaitedRoutes = new AtomicReference<>("");
            CountDownLatch changed = new CountDownLatch(proxies);

            long start = System.nanoTime();
            for (int i = 0; i < proxies; i++) {
                if (i % perChannel == 0) {
                    channels.add(NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                            .flowControlWindow(1 << 20).build());
                }
                int index = i;
                clients.add(new SimulatedProxy(channels.getLast(), node(i, services), TYPES,
                        SimulatedProxy.Reviewer.ACCEPT_ALL, (proxy, type, version, time) -> {
                            if (type.equals(Resources.V3.ROUTE_TYPE_URL) && version.equals(awaitedRoutes.get())
                                    && ackedAt[index] == 0) {
                                ackedAt[index] = time;
                                changed.countDown();
                            }
                        }));
            }
            awaitSynced(clients, mesh.get().routeVersion(), timeout);
            Duration connectTime = Duration.ofNanos(System.nanoTime() - start);
            long heap = heapAfterGc();

            BenchMesh next = new BenchMesh(services, proxies, 10);
            awaitedRoutes.set(next.routeVersion());
            mesh.set(next);
            long t0 = System.nanoTime();
            publisher.publishAll();
            Duration publishTime = Duration.ofNanos(System.nanoTime() - t0);
            if (!changed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(changed.getCount() + " of " + proxies
                        + " proxies did not ACK the new routes within " + timeout);
            }
            long[] latencies = new long[proxies];
            for (int i = 0; i < proxies; i++) {
                latencies[i] = ackedAt[i] - t0;
            }
            Arrays.sort(latencies);
            return new Result(proxies, connectTime, publishTime, Duration.ofNanos(percentile(latencies, 50)),
                    Duration.ofNanos(percentile(latencies, 99)), Duration.ofNanos(latencies[proxies - 1]), heap);
        } finally {
            clients.forEach(SimulatedProxy::cancel);
            for (ManagedChannel c : channels) {
                c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            scheduler.shutdownNow();
        }
    }

    private static Node node(int i, int services) {
        String service = "svc-" + (i % services);
        String version = (i / services) % 2 == 0 ? "v1" : "v2";
        return Node.newBuilder().setId("sidecar~127.0.0.1~" + service + "-" + i + ".default").setCluster(service)
                .setMetadata(Struct.newBuilder()
                        .putFields("NAMESPACE", Value.newBuilder().setStringValue("default").build())
                        .putFields("LABELS", Value.newBuilder().setStructValue(Struct.newBuilder()
                                .putFields("version", Value.newBuilder().setStringValue(version).build())).build())
                        .putFields("INBOUND_PORT", Value.newBuilder().setNumberValue(20000 + i).build())
                        .putFields("OUTBOUND_PORT", Value.newBuilder().setNumberValue(30000 + i).build()))
                .build();
    }

    /** Waits, polling, until every client has ACKed all four types and the given route version. */
    private static void awaitSynced(List<SimulatedProxy> clients, String routes, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long behind = clients.stream().filter(c -> !c.accepted(Resources.V3.ROUTE_TYPE_URL).equals(routes)
                    || TYPES.stream().anyMatch(t -> c.accepted(t).isEmpty())).count();
            if (behind == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(behind + " of " + clients.size() + " proxies not in sync after " + timeout);
            }
            Thread.sleep(20);
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
