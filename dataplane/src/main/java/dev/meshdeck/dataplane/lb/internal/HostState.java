package dev.meshdeck.dataplane.lb.internal;

import dev.meshdeck.dataplane.lb.LoadBalancer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a balancer knows about one endpoint (by host and port, whatever its weight) and keeps across endpoint
 * updates: when it joined, requests in flight, and the outlier detector's counts and ejection. The outlier
 * fields are guarded by the {@link OutlierDetector}'s lock; {@link #ejectedUntil} is also read without it.
 */
final class HostState {
    final String address;
    /** When the endpoint joined the cluster (clock millis): slow start counts from here. */
    final long joinedAt;
    /** Requests in flight (least request). */
    final AtomicInteger active = new AtomicInteger();
    /** Tries so far, for {@code /clusters} ({@link LoadBalancer.TryCounts}). */
    final LongAdder tries = new LongAdder();
    final LongAdder successes = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder timeouts = new LongAdder();

    int consecutive5xx;
    int consecutiveGateway;
    int consecutiveLocalOrigin;
    /** Ejections so far, decayed while healthy (Envoy's ejection time backoff). */
    int backoff;
    /** When the current ejection ends (clock millis), 0 when not ejected. */
    volatile long ejectedUntil;
    long lastUnejected = -1;
    /** This interval's external-origin (HTTP) results, and local-origin ones when split. */
    final Bucket external = new Bucket();
    final Bucket localOrigin = new Bucket();

    HostState(String address, long joinedAt) {
        this.address = address;
        this.joinedAt = joinedAt;
    }

    boolean ejected() {
        return ejectedUntil != 0;
    }

    /** Counts a try's end by its {@code status}, as {@link LoadBalancer#finished} gives it. */
    void countEnd(int status) {
        if (status == LoadBalancer.TIMEOUT) {
            timeouts.increment();
        } else if (status == 0 || status >= 500) {
            errors.increment();
        } else if (status != LoadBalancer.CLIENT_GONE) {
            successes.increment();
        }
    }

    LoadBalancer.TryCounts tryCounts() {
        return new LoadBalancer.TryCounts(tries.sum(), successes.sum(), errors.sum(), timeouts.sum());
    }

    /** Requests and successes counted over one interval. */
    static final class Bucket {
        long total;
        long success;
        long lastTotal;
        long lastSuccess;

        void add(boolean ok) {
            total++;
            if (ok) {
                success++;
            }
        }

        /** Ends the interval: its counts become the ones success-rate ejection looks at. */
        void swap() {
            lastTotal = total;
            lastSuccess = success;
            total = 0;
            success = 0;
        }
    }
}
