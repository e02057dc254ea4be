package dev.meshdeck.dataplane.lb;

import dev.meshdeck.dataplane.config.ClusterConfig.CircuitBreakers;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cluster's circuit-breaker counters (Envoy's default-priority thresholds): connections, pending
 * requests, requests and retries in use, each refusing to go past its maximum. The proxy's connection
 * pool holds one per cluster and pairs every successful {@link Limit#tryAcquire()} with one
 * {@link Limit#release()}. Safe to share between event loops.
 */
public final class ClusterLimits {
    private final Limit connections;
    private final Limit pendingRequests;
    private final Limit requests;
    private final Limit retries;

    public ClusterLimits(CircuitBreakers breakers) {
        Objects.requireNonNull(breakers, "breakers");
        connections = new Limit("max_connections", breakers.maxConnections());
        pendingRequests = new Limit("max_pending_requests", breakers.maxPendingRequests());
        requests = new Limit("max_requests", breakers.maxRequests());
        retries = new Limit("max_retries", breakers.maxRetries());
    }

    /** Upstream connections open. */
    public Limit connections() {
        return connections;
    }

    /** Requests waiting for a connection. */
    public Limit pendingRequests() {
        return pendingRequests;
    }

    /** Requests in flight (HTTP/2 streams, HTTP/1.1 requests). */
    public Limit requests() {
        return requests;
    }

    /** Retries in flight. */
    public Limit retries() {
        return retries;
    }

    /** One counter with a maximum. */
    public static final class Limit {
        private final String name;
        private final int max;
        private final AtomicInteger inUse = new AtomicInteger();

        public Limit(String name, int max) {
            this.name = Objects.requireNonNull(name, "name");
            if (max < 0) {
                throw new IllegalArgumentException(name + ": " + max + " (expected: 0 or more)");
            }
            this.max = max;
        }

        /** Takes one unit if fewer than {@link #max()} are in use; {@code false} (nothing taken) otherwise. */
        public boolean tryAcquire() {
            while (true) {
                int current = inUse.get();
                if (current >= max) {
                    return false;
                }
                if (inUse.compareAndSet(current, current + 1)) {
                    return true;
                }
            }
        }

        /** Gives back one unit taken by {@link #tryAcquire()}. */
        public void release() {
            while (true) {
                int current = inUse.get();
                if (current == 0) {
                    throw new IllegalStateException(name + ": released more than acquired");
                }
                if (inUse.compareAndSet(current, current - 1)) {
                    return;
                }
            }
        }

        public int inUse() {
            return inUse.get();
        }

        public int max() {
            return max;
        }

        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name + " " + inUse.get() + "/" + max;
        }
    }
}
