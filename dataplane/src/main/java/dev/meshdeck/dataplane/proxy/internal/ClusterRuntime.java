package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.lb.LoadBalancer;
import io.netty.channel.EventLoop;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One cluster at run time: its config, its load balancer, its circuit-breaker counters and its
 * connection pools (one per event loop and endpoint, so a request's I/O stays on its own thread). A
 * runtime outlives config updates that leave its cluster unchanged; once replaced it is retired: idle
 * connections close and busy ones close when their request ends.
 */
public final class ClusterRuntime {
    private final ClusterConfig config;
    private final LoadBalancer loadBalancer;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger pendingRequests = new AtomicInteger();
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final AtomicInteger activeRetries = new AtomicInteger();
    private final ConcurrentMap<EventLoop, Map<Endpoint, EndpointPool>> pools = new ConcurrentHashMap<>();
    private volatile boolean retired;

    private final Transport transport;

    public ClusterRuntime(ClusterConfig config, LoadBalancer loadBalancer, Transport transport) {
        this.config = config;
        this.loadBalancer = loadBalancer;
        this.transport = transport;
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

    boolean retired() {
        return retired;
    }

    /** Counts a request against {@code maxRequests}; false (nothing counted) when the cluster is full. */
    boolean tryStartRequest() {
        int max = config.circuitBreakers().maxRequests();
        while (true) {
            int n = activeRequests.get();
            if (n >= max) {
                return false;
            }
            if (activeRequests.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void requestEnded() {
        activeRequests.decrementAndGet();
    }

    /** Counts a request that retries against {@code maxRetries}; false (nothing counted) when the cluster is full. */
    boolean tryStartRetry() {
        int max = config.circuitBreakers().maxRetries();
        while (true) {
            int n = activeRetries.get();
            if (n >= max) {
                return false;
            }
            if (activeRetries.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void retryEnded() {
        activeRetries.decrementAndGet();
    }

    boolean tryStartPending() {
        int max = config.circuitBreakers().maxPendingRequests();
        while (true) {
            int n = pendingRequests.get();
            if (n >= max) {
                return false;
            }
            if (pendingRequests.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void pendingEnded() {
        pendingRequests.decrementAndGet();
    }

    boolean tryOpenConnection() {
        int max = config.circuitBreakers().maxConnections();
        while (true) {
            int n = connections.get();
            if (n >= max) {
                return false;
            }
            if (connections.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** A connection closed: its slot may go to a request waiting in any event loop's pool. */
    void connectionClosed() {
        connections.decrementAndGet();
        onEachLoop(byEndpoint -> byEndpoint.values().forEach(EndpointPool::wakeWaiter));
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

    /** Open upstream connections (busy and idle), across event loops. */
    public int openConnections() {
        return connections.get();
    }

    /** The pool for {@code endpoint} on {@code loop}; call on {@code loop}. */
    EndpointPool pool(EventLoop loop, Endpoint endpoint) {
        return pools.computeIfAbsent(loop, l -> new HashMap<>())
                .computeIfAbsent(endpoint, e -> new EndpointPool(this, loop, e));
    }

    /** This runtime was replaced: close idle connections now, busy ones when their request ends. */
    public void retire() {
        retired = true;
        onEachLoop(byEndpoint -> byEndpoint.values().forEach(EndpointPool::closeIdle));
    }
}
