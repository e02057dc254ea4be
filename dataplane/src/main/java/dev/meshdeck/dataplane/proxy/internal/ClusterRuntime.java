package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.lb.ClusterLimits;
import dev.meshdeck.dataplane.lb.LoadBalancer;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.tls.TlsContexts;
import dev.meshdeck.dataplane.proxy.ClusterStatus;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One cluster at run time: its config, its load balancer, its circuit-breaker counters and its
 * connection pools (one per event loop and endpoint, so a request's I/O stays on its own thread). A
 * runtime outlives config updates that leave its cluster unchanged or change only its endpoints
 * ({@link #updateEndpoints}: the balancer keeps the state of endpoints that stay, their pools stay, removed
 * endpoints' pools drain); once replaced it is retired: idle connections close and busy ones close when their
 * request ends.
 */
public final class ClusterRuntime {
    private volatile ClusterConfig config;
    private final LoadBalancer loadBalancer;
    private final ClusterLimits limits;
    private final ClusterStats stats;
    private final ConcurrentMap<EventLoop, Map<Endpoint, EndpointPool>> pools = new ConcurrentHashMap<>();
    private final ConcurrentMap<EventLoop, Map<Endpoint, Http2EndpointPool>> http2Pools = new ConcurrentHashMap<>();
    private final Transport transport;
    private final UpstreamTls tls;
    private volatile boolean retired;
    /** Each endpoint's connection counts (by address), shared by its pools on every event loop. */
    private final ConcurrentMap<String, HostConnections> connections = new ConcurrentHashMap<>();
    /** Endpoints that answered HTTP/2 with something else: until when they get HTTP/1.1, and for how long they did. */
    private final ConcurrentMap<Endpoint, Http1Only> http1Only = new ConcurrentHashMap<>();

    /** An endpoint gets HTTP/1.1 until {@code until} ({@link System#nanoTime}), a period {@code memoryNanos} long. */
    private record Http1Only(long until, long memoryNanos) {
    }

    /**
     * How long an endpoint that answered HTTP/2 with something else is sent HTTP/1.1 before HTTP/2 is tried again;
     * each time it answers the same again, twice as long, up to {@link #HTTP1_ONLY_MEMORY_MAX}. (Each try is one
     * {@code PRI * HTTP/2.0} line in the app's log.) A gRPC request always tries HTTP/2, so an app restarted as a
     * gRPC server on the same port is found at its first gRPC request.
     */
    static final java.time.Duration HTTP1_ONLY_MEMORY = java.time.Duration.ofSeconds(60);
    static final java.time.Duration HTTP1_ONLY_MEMORY_MAX = java.time.Duration.ofMinutes(32);
    /** The clock of {@link #http1Only}: {@link System#nanoTime}, or a test's. */
    private volatile java.util.function.LongSupplier nanoTime = System::nanoTime;

    public ClusterRuntime(ClusterConfig config, LoadBalancer loadBalancer, Transport transport, Stats stats) {
        this(config, loadBalancer, transport, stats, TlsContexts.withoutIdentity());
    }

    /** A runtime whose TLS connections (if its config has TLS) take their certificates from {@code tlsContexts}. */
    public ClusterRuntime(ClusterConfig config, LoadBalancer loadBalancer, Transport transport, Stats stats,
                          TlsContexts tlsContexts) {
        this.config = config;
        this.loadBalancer = loadBalancer;
        this.transport = transport;
        this.limits = new ClusterLimits(config.circuitBreakers());
        this.stats = new ClusterStats(stats, config.name());
        this.tls = config.tls() == null ? null : new UpstreamTls(config.tls(), tlsContexts, stats, config.name(),
                (int) Math.min(Integer.MAX_VALUE, Math.max(1, config.connectTimeout().toMillis())));
    }

    /** The cluster's TLS connect path; null for plain text. */
    UpstreamTls tls() {
        return tls;
    }

    Transport transport() {
        return transport;
    }

    public ClusterConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public LoadBalancer loadBalancer() {
        return loadBalancer;
    }

    /** The circuit-breaker counters (shared by every event loop). */
    ClusterLimits limits() {
        return limits;
    }

    ClusterStats stats() {
        return stats;
    }

    boolean retired() {
        return retired;
    }

    /** A connection closed: its slot may go to a request waiting in any event loop's pool. */
    void connectionClosed() {
        limits.connections().release();
        onEachLoop(byEndpoint -> byEndpoint.values().forEach(EndpointPool::wakeWaiter));
        forEachLoop(http2Pools, byEndpoint -> byEndpoint.values().forEach(Http2EndpointPool::serveWaiters));
    }

    /**
     * A request waits for {@code maxConnections} while connections may sit idle in other event loops'
     * pools: close one idle connection per event loop so the slot comes free.
     */
    void reclaimIdle() {
        onEachLoop(byEndpoint -> {
            for (EndpointPool p : byEndpoint.values()) {
                if (p.closeOneIdle()) {
                    return;
                }
            }
        });
    }

    /** Runs {@code task} on each event loop with its pools (skipping loops that are shutting down). */
    private void onEachLoop(java.util.function.Consumer<Map<Endpoint, EndpointPool>> task) {
        forEachLoop(pools, task);
    }

    /** Open upstream connections (busy and idle), across event loops. */
    public int openConnections() {
        return limits.connections().inUse();
    }

    /** The connection counts of {@code endpoint} (by address, whatever its weight), for its pools. */
    HostConnections connections(Endpoint endpoint) {
        return connections.computeIfAbsent(endpoint.address(), a -> new HostConnections(stats));
    }

    /**
     * Each endpoint's state for the admin endpoint's {@code /clusters}, in the balancer's order: its weight,
     * ejection, tries ({@link LoadBalancer#hosts}) and connections.
     */
    public ClusterStatus status() {
        List<ClusterStatus.EndpointStatus> out = new ArrayList<>();
        for (LoadBalancer.HostStatus h : loadBalancer.hosts()) {
            HostConnections c = connections.get(h.endpoint().address());
            out.add(new ClusterStatus.EndpointStatus(h.endpoint().host(), h.endpoint().port(), h.endpoint().weight(),
                    h.ejected(), c == null ? 0 : c.total(), c == null ? 0 : c.active(), c == null ? 0 : c.connectFail(),
                    h.activeRequests(), h.tries()));
        }
        return new ClusterStatus(config.name(), out);
    }

    /** The pool for {@code endpoint} on {@code loop}; call on {@code loop}. */
    EndpointPool pool(EventLoop loop, Endpoint endpoint) {
        return pools.computeIfAbsent(loop, l -> new HashMap<>())
                .computeIfAbsent(endpoint, e -> new EndpointPool(this, loop, e));
    }

    /**
     * Whether a request that came over HTTP/2 (or HTTP/1.1 when false) goes upstream over HTTP/2: the
     * cluster's protocol options decide, then (for a TLS cluster) its ALPN list ({@link UpstreamTls#http2}).
     */
    boolean http2Upstream(boolean http2Downstream) {
        boolean http2 = config.http2Upstream(http2Downstream);
        return tls == null ? http2 : tls.http2(http2);
    }

    /**
     * Whether a request that came over HTTP/2 (or HTTP/1.1 when false) goes to {@code endpoint} over HTTP/2: as
     * {@link #http2Upstream(boolean)}, except that an endpoint that answered HTTP/2 with something else
     * ({@link #answeredNotHttp2}) gets HTTP/1.1 until its memory has passed ({@link #HTTP1_ONLY_MEMORY}, doubled at
     * each same answer).
     */
    boolean http2Upstream(boolean http2Downstream, Endpoint endpoint) {
        return http2Upstream(http2Downstream, endpoint, false);
    }

    /**
     * As {@link #http2Upstream(boolean, Endpoint)}; a gRPC request ({@code grpc}), which cannot work over HTTP/1.1,
     * ignores the memory and goes over HTTP/2 whenever the cluster's settings say so.
     */
    boolean http2Upstream(boolean http2Downstream, Endpoint endpoint, boolean grpc) {
        if (!http2Upstream(http2Downstream)) {
            return false;
        }
        Http1Only remembered = http1Only.get(endpoint);
        return remembered == null || grpc || nanoTime.getAsLong() - remembered.until() >= 0;
    }

    /**
     * {@code endpoint} answered an HTTP/2 connection with something else, as an HTTP/1.1-only app does
     * ({@link Http2EndpointPool.NotHttp2Exception}).
     * When this cluster follows the client's protocol over plain text (Envoy's {@code use_downstream_protocol_config},
     * what the mesh gives every cluster, an app's own port included), requests from HTTP/2 clients go to that
     * endpoint over HTTP/1.1 for the next {@link #HTTP1_ONLY_MEMORY}, or twice as long as the last time when it
     * answered the same after that had passed (at most {@link #HTTP1_ONLY_MEMORY_MAX}), and this returns true: the
     * request that met
     * the answer may go again over HTTP/1.1, as none of it reached the endpoint. A cluster configured for HTTP/2, or
     * one over TLS (where ALPN chooses), keeps HTTP/2: false.
     */
    boolean answeredNotHttp2(Endpoint endpoint) {
        if (tls != null || config.upstreamProtocol() != ClusterConfig.UpstreamProtocol.USE_DOWNSTREAM) {
            return false;
        }
        long now = nanoTime.getAsLong();
        http1Only.compute(endpoint, (e, before) -> {
            long memory = before == null ? HTTP1_ONLY_MEMORY.toNanos()
                    : now - before.until() < 0 ? before.memoryNanos() // another try that was already under way
                    : Math.min(2 * before.memoryNanos(), HTTP1_ONLY_MEMORY_MAX.toNanos());
            return new Http1Only(now + memory, memory);
        });
        return true;
    }

    /** {@code endpoint} answered an HTTP/2 connection in HTTP/2 (its SETTINGS): it is no longer sent HTTP/1.1. */
    void answeredHttp2(Endpoint endpoint) {
        http1Only.remove(endpoint);
    }

    /** Tests: the clock {@link #answeredNotHttp2}'s memory runs on, instead of {@link System#nanoTime}. */
    void nanoTime(java.util.function.LongSupplier clock) {
        nanoTime = clock;
    }

    /** The pool for {@code endpoint} on {@code loop} for the upstream protocol {@link #http2Upstream} chose; call on {@code loop}. */
    UpstreamPool pool(EventLoop loop, Endpoint endpoint, boolean http2) {
        if (!http2) {
            return pool(loop, endpoint);
        }
        return http2Pools.computeIfAbsent(loop, l -> new HashMap<>())
                .computeIfAbsent(endpoint, e -> new Http2EndpointPool(this, loop, e));
    }

    /** Whether {@code next} differs from this runtime's config in its endpoints at most. */
    public boolean sameButEndpoints(ClusterConfig next) {
        return config.withEndpoints(next.endpoints()).equals(next);
    }

    /**
     * An EDS update: the balancer takes the new endpoints in place; on each event loop, pools of endpoints
     * that stay are kept (re-keyed if only the weight changed) and pools of removed endpoints drain — their
     * requests in flight complete, then their connections close.
     */
    public void updateEndpoints(ClusterConfig next) {
        config = next;
        loadBalancer.update(next.endpoints());
        Map<String, Endpoint> byAddress = new HashMap<>();
        next.endpoints().forEach(e -> byAddress.putIfAbsent(e.address(), e));
        connections.keySet().retainAll(byAddress.keySet()); // a removed endpoint's draining pools keep theirs
        forEachLoop(pools, byEndpoint -> rekeyOrDrain(byEndpoint, byAddress, EndpointPool::drain));
        forEachLoop(http2Pools, byEndpoint -> rekeyOrDrain(byEndpoint, byAddress, Http2EndpointPool::close));
    }

    private static <P> void rekeyOrDrain(Map<Endpoint, P> byEndpoint, Map<String, Endpoint> byAddress,
                                         java.util.function.Consumer<P> drain) {
        for (Map.Entry<Endpoint, P> e : Map.copyOf(byEndpoint).entrySet()) {
            Endpoint now = byAddress.get(e.getKey().address());
            if (now != null && now.equals(e.getKey())) {
                continue;
            }
            byEndpoint.remove(e.getKey());
            if (now == null || byEndpoint.putIfAbsent(now, e.getValue()) != null) {
                drain.accept(e.getValue());
            }
        }
    }

    private static <P> void forEachLoop(ConcurrentMap<EventLoop, Map<Endpoint, P>> pools,
                                        java.util.function.Consumer<Map<Endpoint, P>> task) {
        pools.forEach((loop, byEndpoint) -> {
            if (!loop.isShuttingDown()) {
                try {
                    loop.execute(() -> task.accept(byEndpoint));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // the proxy is closing
                }
            }
        });
    }

    /** This runtime was replaced: close idle connections now, busy ones when their request ends. */
    public void retire() {
        retired = true;
        loadBalancer.close();
        onEachLoop(byEndpoint -> byEndpoint.values().forEach(EndpointPool::closeIdle));
        forEachLoop(http2Pools, byEndpoint -> byEndpoint.values().forEach(Http2EndpointPool::close));
    }
}
