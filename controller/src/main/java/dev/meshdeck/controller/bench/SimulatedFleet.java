package dev.meshdeck.controller.bench;

import io.envoyproxy.controlplane.cache.Resources;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The sidecars of a {@link SyntheticMesh} as {@link SimulatedProxy}s: sidecar {@code i} opens one ADS stream
 * with {@link SyntheticMesh#node(int)}, subscribes to CDS, EDS, LDS and RDS and ACKs everything, reading only
 * the {@linkplain SimulatedProxy.Reading#HEADERS headers} of responses. Streams are
 * spread over TCP connections, {@code streamsPerConnection} to a connection (1 is what real proxies do).
 *
 * <p>{@link #main} runs a fleet as a child process of a benchmark (see {@link ClientProcess}); it speaks a
 * line protocol on standard output: {@code SYNCED <nanoseconds>} once every sidecar is in sync (the
 * nanoseconds from the first stream to the last sidecar in sync), or {@code FAILED <reason>}. It ends when its
 * standard input ends or says {@code QUIT}.
 */
public final class SimulatedFleet implements SimulatedClients {
    static final List<String> TYPES = List.of(Resources.V3.CLUSTER_TYPE_URL, Resources.V3.ENDPOINT_TYPE_URL,
            Resources.V3.LISTENER_TYPE_URL, Resources.V3.ROUTE_TYPE_URL);

    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<SimulatedProxy> proxies = new ArrayList<>();
    private final Set<String> synced = ConcurrentHashMap.newKeySet();
    private final CountDownLatch allSynced;
    private final long started;
    private volatile long lastSyncedAt;

    private SimulatedFleet(String host, int port, SyntheticMesh mesh, int count, int streamsPerConnection) {
        if (count < 1 || streamsPerConnection < 1) {
            throw new IllegalArgumentException("proxies: " + count + ", streams per connection: "
                    + streamsPerConnection + " (expected: 1 or more each)");
        }
        allSynced = new CountDownLatch(count);
        started = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                if (i % streamsPerConnection == 0) {
                    // Callbacks run on the event loop: a simulated proxy only answers, it never blocks.
                    channels.add(NettyChannelBuilder.forAddress(host, port).usePlaintext().directExecutor().build());
                }
                proxies.add(new SimulatedProxy(channels.getLast(), SimulatedProxy.Reading.HEADERS, mesh.node(i), TYPES,
                        SimulatedProxy.Reviewer.ACCEPT_ALL, (proxy, type, version, time) -> acked(proxy, time)));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Connects sidecars {@code 0 .. proxies - 1} of {@code mesh} to the xDS server at {@code host:port}. */
    public static SimulatedFleet connect(String host, int port, SyntheticMesh mesh, int proxies,
                                         int streamsPerConnection) {
        return new SimulatedFleet(host, port, mesh, proxies, streamsPerConnection);
    }

    private void acked(SimulatedProxy proxy, long time) {
        if (synced.contains(proxy.nodeId())) {
            return;
        }
        for (String type : TYPES) {
            if (proxy.accepted(type).isEmpty()) {
                return;
            }
        }
        if (synced.add(proxy.nodeId())) {
            lastSyncedAt = time;
            allSynced.countDown();
        }
    }

    @Override
    public Duration awaitSynced(Duration timeout) throws InterruptedException {
        if (!allSynced.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(allSynced.getCount() + " of " + proxies.size()
                    + " simulated proxies not in sync after " + timeout);
        }
        return Duration.ofNanos(lastSyncedAt - started);
    }

    @Override
    public String where() {
        return "in-process";
    }

    @Override
    public void close() {
        proxies.forEach(SimulatedProxy::cancel);
        for (ManagedChannel c : channels) {
            c.shutdownNow();
        }
        for (ManagedChannel c : channels) {
            try {
                c.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** {@code SimulatedFleet HOST PORT SERVICES PROXIES STREAMS_PER_CONNECTION TIMEOUT_SECONDS} */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (args.length != 6) {
            out.println("FAILED usage: SimulatedFleet HOST PORT SERVICES PROXIES STREAMS_PER_CONNECTION TIMEOUT_SECONDS");
            System.exit(2);
        }
        int code = 0;
        try (SimulatedFleet fleet = connect(args[0], Integer.parseInt(args[1]), new SyntheticMesh(Integer.parseInt(args[2])),
                Integer.parseInt(args[3]), Integer.parseInt(args[4]))) {
            Duration connect = fleet.awaitSynced(Duration.ofSeconds(Long.parseLong(args[5])));
            out.println("SYNCED " + connect.toNanos());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("QUIT")) {
                // Holds the streams open until the benchmark is done.
            }
        } catch (RuntimeException e) {
            out.println("FAILED " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }
}
