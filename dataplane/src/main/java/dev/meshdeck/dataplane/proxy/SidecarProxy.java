package dev.meshdeck.dataplane.proxy;

import dev.meshdeck.dataplane.config.ListenerConfig;
import dev.meshdeck.dataplane.config.ProxyConfig;
import dev.meshdeck.dataplane.lb.LoadBalancerFactory;
import dev.meshdeck.dataplane.proxy.internal.ClusterRuntime;
import dev.meshdeck.dataplane.proxy.internal.Drain;
import dev.meshdeck.dataplane.proxy.internal.EventLoopScheduler;
import dev.meshdeck.dataplane.proxy.internal.FilterFactory;
import dev.meshdeck.dataplane.proxy.internal.PausedServerChannel;
import dev.meshdeck.dataplane.proxy.internal.ProxyFilter;
import dev.meshdeck.dataplane.proxy.internal.RuntimeSnapshot;
import dev.meshdeck.dataplane.proxy.internal.ServerInitializer;
import dev.meshdeck.dataplane.proxy.internal.Transport;
import dev.meshdeck.dataplane.route.Router;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.tls.TlsContexts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

/**
 * The sidecar's proxy engine: binds the listeners of a {@link ProxyConfig} on one shared set of event
 * loops and proxies HTTP/1.1, HTTP/2 (h2c), gRPC and WebSocket upgrades through each listener's filter chain to
 * the clusters' endpoints.
 *
 * <p>{@link #update} swaps the whole config atomically: each request reads the config once when its
 * headers arrive and keeps it to its end, so requests in flight are not disturbed. Listeners are bound,
 * rebound or closed as the new config says (a listener on a port {@linkplain #hold held} since start-up adopts
 * that socket instead of binding again); a cluster whose config did not change keeps its load
 * balancer and its pooled connections, and one whose endpoints alone changed (EDS) keeps them for the endpoints
 * that stay: ejections, requests in flight and pooled connections; removed endpoints drain.
 */
public final class SidecarProxy implements AutoCloseable {
    private final LoadBalancerFactory loadBalancers;
    private final ProxyOptions options;
    private final Stats stats;
    private final FilterFactory filterFactory;
    private final Transport transport;
    private final TlsContexts tlsContexts;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final AtomicReference<RuntimeSnapshot> snapshot =
            new AtomicReference<>(new RuntimeSnapshot(ProxyConfig.EMPTY, Map.of(), Map.of()));
    private final Map<String, BoundListener> listeners = new HashMap<>();
    /** Ports bound by {@link #hold} that no listener has adopted yet. */
    private final Map<InetSocketAddress, PausedServerChannel> held = new HashMap<>();
    private final Drain drain = new Drain();
    private boolean closed;

    private record BoundListener(ListenerConfig config, Channel channel) {
        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }
    }

    /**
     * @param router        picks route and cluster for each request ({@code DefaultRouter})
     * @param loadBalancers makes a cluster's load balancer, given a scheduler on one of the proxy's event loops
     *                      for its outlier detection (called again only when the cluster changes other than in
     *                      its endpoints; {@code (c, s) -> LoadBalancers.create(c, new Environment(random, clock, s, stats))})
     * @param options       the proxy's static settings
     * @param stats         where the proxy counts, under Envoy's names ({@code cluster.<name>.upstream_*},
     *                      {@code http.<listener>.downstream_*}, {@code http.<listener>.fault.*})
     * @param random        the fault filter's percentages and the retries' backoff jitter; shared by the
     *                      event loops, so it must be safe for concurrent use ({@link java.util.Random}, or
     *                      {@code ThreadLocalRandom.current()})
     */
    public SidecarProxy(Router router, LoadBalancerFactory loadBalancers, ProxyOptions options,
                        Stats stats, RandomGenerator random) {
        this(router, loadBalancers, options, stats, random, TlsContexts.withoutIdentity());
    }

    /**
     * A proxy whose TLS clusters and listeners take the workload's certificate and trust bundle (the SDS
     * secrets {@code default} and {@code ROOTCA}) from {@code tlsContexts}' secret store.
     */
    public SidecarProxy(Router router, LoadBalancerFactory loadBalancers, ProxyOptions options,
                        Stats stats, RandomGenerator random, TlsContexts tlsContexts) {
        this.tlsContexts = Objects.requireNonNull(tlsContexts, "tlsContexts");
        Objects.requireNonNull(router, "router");
        this.loadBalancers = Objects.requireNonNull(loadBalancers, "loadBalancers");
        this.options = Objects.requireNonNull(options, "options");
        this.stats = Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(random, "random");
        this.filterFactory = new FilterFactory(router, options, stats, random);
        this.transport = Transport.best();
        this.bossGroup = transport.newGroup(1);
        this.workerGroup = transport.newGroup(options.ioThreads());
    }

    /**
     * Applies {@code config}: binds new listeners first, not accepting yet, or adopts the {@linkplain #hold
     * held} socket on their address and port (a bind failure or an unsupported filter throws and leaves the
     * current config in place), then swaps the config, closes listeners that are gone, starts accepting on
     * the new ones and retires clusters that changed.
     *
     * @throws IllegalArgumentException when a listener's HTTP filters cannot be built
     * @throws UncheckedIOException     when a listener cannot be bound
     */
    public synchronized void update(ProxyConfig config) {
        Objects.requireNonNull(config, "config");
        if (closed) {
            throw new IllegalStateException("proxy is closed");
        }
        Map<String, List<ProxyFilter>> filters = new HashMap<>();
        config.listeners().forEach((name, l) -> filters.put(name, filterFactory.chain(l)));

        RuntimeSnapshot old = snapshot.get();
        Map<String, ClusterRuntime> clusters = new HashMap<>();
        List<Runnable> endpointUpdates = new java.util.ArrayList<>();
        config.clusters().forEach((name, c) -> {
            ClusterRuntime previous = old.clusters().get(name);
            if (previous != null && previous.sameButEndpoints(c)) {
                clusters.put(name, previous);
                if (!previous.config().equals(c)) {
                    endpointUpdates.add(() -> previous.updateEndpoints(c));
                }
            } else {
                clusters.put(name, new ClusterRuntime(c, loadBalancers.create(c,
                        new EventLoopScheduler(workerGroup.next())), transport, stats, tlsContexts));
            }
        });
        RuntimeSnapshot next = new RuntimeSnapshot(config, clusters, filters);

        Map<String, PausedServerChannel> bound = new LinkedHashMap<>();
        Map<String, PausedServerChannel> adopted = new LinkedHashMap<>();
        try {
            for (ListenerConfig l : config.listeners().values()) {
                BoundListener current = listeners.get(l.name());
                if (current != null && current.config().address().equals(l.address())
                        && current.config().port() == l.port()) {
                    continue;
                }
                PausedServerChannel mine = l.port() == 0 ? null : held.get(new InetSocketAddress(l.address(), l.port()));
                if (mine != null && !adopted.containsValue(mine)) {
                    adopted.put(l.name(), mine);
                } else {
                    bound.put(l.name(), bindPaused(l.address(), l.port(), "listener " + l.name()));
                }
            }
        } catch (RuntimeException e) {
            bound.values().forEach(b -> b.channel().close().syncUninterruptibly());
            throw e;
        }

        snapshot.set(next);
        endpointUpdates.forEach(Runnable::run);

        for (Map.Entry<String, BoundListener> e : Map.copyOf(listeners).entrySet()) {
            if (!config.listeners().containsKey(e.getKey()) || bound.containsKey(e.getKey())
                    || adopted.containsKey(e.getKey())) {
                e.getValue().channel().close().syncUninterruptibly();
                listeners.remove(e.getKey());
            }
        }
        adopted.values().forEach(p -> held.remove(p.localAddress()));
        bound.putAll(adopted);
        bound.forEach((name, paused) -> {
            ListenerConfig l = config.listeners().get(name);
            listeners.put(name, new BoundListener(l, paused.accept(
                    new ServerInitializer(l, filters.get(name), snapshot, options, stats, tlsContexts, drain))));
        });
        old.clusters().forEach((name, runtime) -> {
            if (clusters.get(name) != runtime) {
                runtime.retire();
            }
        });
    }

    /**
     * Binds {@code address:port} now (port 0: an ephemeral port) but does not accept on it yet: clients that
     * connect wait in the backlog, not refused. The first config with a listener on exactly this address and
     * port adopts the socket instead of binding again and serves the waiting clients; once that listener is
     * gone, its port is released like any other listener's. Lets a sidecar report ports it really owns
     * before its first config arrives.
     *
     * @return the bound address (with the real port when {@code port} was 0)
     * @throws UncheckedIOException when the port cannot be bound
     */
    public synchronized InetSocketAddress hold(String address, int port) {
        Objects.requireNonNull(address, "address");
        if (closed) {
            throw new IllegalStateException("proxy is closed");
        }
        PausedServerChannel paused = bindPaused(address, port, "held port");
        held.put(paused.localAddress(), paused);
        return paused.localAddress();
    }

    /** Binds a server channel that accepts nothing until {@link PausedServerChannel#accept}. */
    private PausedServerChannel bindPaused(String address, int port, String what) {
        PausedServerChannel paused = new PausedServerChannel();
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(paused.childHandler());
        var future = b.bind(address, port).awaitUninterruptibly();
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            SocketException se = new SocketException(what + ": cannot bind " + address + ":" + port + ": "
                    + cause.getMessage());
            se.initCause(cause);
            throw new UncheckedIOException(se);
        }
        return paused.bound(future.channel());
    }

    /** The port {@code listener} is bound to (the real one when its config asked for port 0). */
    public synchronized OptionalInt port(String listener) {
        BoundListener b = listeners.get(listener);
        return b == null ? OptionalInt.empty() : OptionalInt.of(b.port());
    }

    /** The config requests now start on. */
    public ProxyConfig config() {
        return snapshot.get().config();
    }

    /** {@code epoll} or {@code nio}. */
    public String transport() {
        return transport.name();
    }

    /** The stats the proxy counts into. */
    public Stats stats() {
        return stats;
    }

    /**
     * The clusters requests now start on, sorted by name, each with its endpoints' state: what the admin endpoint's
     * {@code /clusters} shows.
     */
    public List<ClusterStatus> clusterStatuses() {
        List<ClusterStatus> out = new ArrayList<>();
        new java.util.TreeMap<>(snapshot.get().clusters()).forEach((name, cluster) -> out.add(cluster.status()));
        return out;
    }

    /** Open upstream connections of {@code cluster} (busy and idle), if it exists. */
    public Optional<Integer> upstreamConnections(String cluster) {
        return Optional.ofNullable(snapshot.get().clusters().get(cluster)).map(ClusterRuntime::openConnections);
    }

    /**
     * Drains the proxy (see {@link Drain}): client connections finish what is in flight and close, HTTP/1.1
     * answers carry {@code Connection: close}, HTTP/2 connections get GOAWAY; listeners keep accepting, and a new
     * connection serves one request. Returns once no client connection is open, or when {@code limit} has
     * passed; the proxy keeps running either way ({@link #close} ends it and cuts what is left).
     *
     * @return whether every client connection closed within {@code limit}
     */
    public boolean drain(Duration limit) throws InterruptedException {
        drain.start();
        long deadline = System.nanoTime() + limit.toNanos();
        while (drain.openConnections() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
        }
        return true;
    }

    /** Whether {@link #drain} has started and told every connection that was open then. */
    public boolean draining() {
        return drain.told();
    }

    /** Client connections open now, on all listeners. */
    public int clientConnections() {
        return drain.openConnections();
    }

    /** Closes the listeners and every connection, and stops the event loops. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        listeners.values().forEach(b -> b.channel().close().syncUninterruptibly());
        listeners.clear();
        held.values().forEach(p -> p.channel().close().syncUninterruptibly());
        held.clear();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
