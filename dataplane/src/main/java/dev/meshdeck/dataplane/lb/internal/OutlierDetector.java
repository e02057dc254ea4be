package dev.meshdeck.dataplane.lb.internal;

import dev.meshdeck.dataplane.config.ClusterConfig.OutlierDetection;
import dev.meshdeck.dataplane.lb.LoadBalancer;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * Envoy's consecutive-errors outlier detection for one cluster's endpoints (by index).
 *
 * <ul>
 *   <li>A try cancelled because the client left ({@link LoadBalancer#CLIENT_GONE}) is not counted at all.</li>
 *   <li>A 5xx or a failed/reset connection (status 0) counts towards {@code consecutive5xx}; a 502, 503,
 *       504 or 0 also counts towards {@code consecutiveGatewayErrors}; a non-gateway 5xx resets the
 *       gateway count and anything below 500 resets both. A threshold of 0 or less turns that detector
 *       off.</li>
 *   <li>Reaching a threshold ejects the endpoint for {@code baseEjectionTime} × the times it has been
 *       ejected, at most {@link #MAX_EJECTION_TIME} (Envoy's default {@code max_ejection_time}) or the base
 *       time if that is longer.</li>
 *   <li>No more than {@code maxEjectionPercent} of the endpoints are ejected at once, except that one
 *       endpoint may always be ejected when none is (Envoy's {@code always_eject_one_host: true}): a
 *       cluster of three with 10% may still shed its one broken endpoint.</li>
 *   <li>Ejected endpoints come back when their time is up; that is checked lazily, on the next
 *       {@link #healthy()} call, against the injected clock (no timer).</li>
 * </ul>
 *
 * <p>Thread-safe: counting and ejection take this object's lock; {@link #healthy()} reads a volatile
 * snapshot and takes the lock only when an ejection is due to end.
 */
public final class OutlierDetector {
    /** Envoy's default {@code max_ejection_time}. */
    public static final Duration MAX_EJECTION_TIME = Duration.ofSeconds(300);

    private final OutlierDetection config;
    private final Clock clock;
    private final int size;
    private final int[] consecutive5xx;
    private final int[] consecutiveGateway;
    private final int[] timesEjected;
    private final long[] ejectedUntil;
    private volatile boolean[] healthy;
    private volatile long nextReturn = Long.MAX_VALUE;

    /** @param config null turns detection off */
    public OutlierDetector(OutlierDetection config, int size, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.size = size;
        consecutive5xx = new int[size];
        consecutiveGateway = new int[size];
        timesEjected = new int[size];
        ejectedUntil = new long[size];
    }

    /**
     * The endpoints not ejected now (index → true), or {@code null} when none is ejected. The array is a
     * snapshot: callers must not change it.
     */
    public boolean[] healthy() {
        if (clock.millis() >= nextReturn) {
            synchronized (this) {
                restoreDue(clock.millis());
            }
        }
        return healthy;
    }

    /**
     * The outcome of one try to endpoint {@code index}: an HTTP status, or 0 for a failed connection.
     * {@link LoadBalancer#CLIENT_GONE} (the client left mid-try) is neither a failure nor a success: the
     * endpoint's consecutive counts stay as they are.
     */
    public void record(int index, int status) {
        if (config == null || status == LoadBalancer.CLIENT_GONE) {
            return;
        }
        boolean fivexx = status >= 500 || status == 0;
        boolean gateway = status == 0 || status == 502 || status == 503 || status == 504;
        synchronized (this) {
            if (!fivexx) {
                consecutive5xx[index] = 0;
                consecutiveGateway[index] = 0;
                return;
            }
            consecutiveGateway[index] = gateway ? consecutiveGateway[index] + 1 : 0;
            consecutive5xx[index]++;
            boolean trip = (config.consecutive5xx() > 0 && consecutive5xx[index] >= config.consecutive5xx())
                    || (config.consecutiveGatewayErrors() > 0 && consecutiveGateway[index] >= config.consecutiveGatewayErrors());
            if (trip) {
                long now = clock.millis();
                restoreDue(now);
                if (ejectedUntil[index] == 0 && mayEjectOneMore()) {
                    eject(index, now);
                }
            }
        }
    }

    /** Times endpoint {@code index} was ejected so far. */
    public synchronized int timesEjected(int index) {
        return timesEjected[index];
    }

    private boolean mayEjectOneMore() {
        int ejected = 0;
        for (long until : ejectedUntil) {
            if (until != 0) {
                ejected++;
            }
        }
        return ejected == 0 || (ejected + 1) * 100L <= (long) config.maxEjectionPercent() * size;
    }

    private void eject(int index, long now) {
        timesEjected[index]++;
        Duration base = config.baseEjectionTime() == null ? Duration.ofSeconds(30) : config.baseEjectionTime();
        Duration cap = base.compareTo(MAX_EJECTION_TIME) > 0 ? base : MAX_EJECTION_TIME;
        Duration time = base.multipliedBy(timesEjected[index]);
        if (time.compareTo(cap) > 0) {
            time = cap;
        }
        ejectedUntil[index] = now + Math.max(1, time.toMillis());
        consecutive5xx[index] = 0;
        consecutiveGateway[index] = 0;
        publish();
    }

    private void restoreDue(long now) {
        boolean changed = false;
        for (int i = 0; i < size; i++) {
            if (ejectedUntil[i] != 0 && ejectedUntil[i] <= now) {
                ejectedUntil[i] = 0;
                changed = true;
            }
        }
        if (changed) {
            publish();
        }
    }

    private void publish() {
        boolean[] next = new boolean[size];
        long soonest = Long.MAX_VALUE;
        boolean any = false;
        for (int i = 0; i < size; i++) {
            next[i] = ejectedUntil[i] == 0;
            if (!next[i]) {
                any = true;
                soonest = Math.min(soonest, ejectedUntil[i]);
            }
        }
        healthy = any ? next : null;
        nextReturn = soonest;
    }

    @Override
    public synchronized String toString() {
        return "OutlierDetector" + Arrays.toString(ejectedUntil);
    }
}
