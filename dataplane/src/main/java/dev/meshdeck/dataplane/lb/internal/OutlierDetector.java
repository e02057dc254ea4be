package dev.meshdeck.dataplane.lb.internal;

import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.config.ClusterConfig.OutlierDetection;
import dev.meshdeck.dataplane.lb.LoadBalancer;
import dev.meshdeck.dataplane.lb.Scheduler;
import dev.meshdeck.dataplane.lb.internal.OutlierStats.Kind;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Envoy's outlier detection for one cluster, over the cluster's {@link HostState}s (kept by address, so an
 * endpoint update keeps the state of the endpoints that stay).
 *
 * <ul>
 *   <li>Outcomes ({@link #record}): an HTTP status from the upstream is <em>external</em>; a failed or reset
 *       connection (0) and a local timeout ({@link LoadBalancer#TIMEOUT}) are <em>local-origin</em>;
 *       {@link LoadBalancer#CLIENT_GONE} is not counted at all. Without
 *       {@code splitExternalLocalOriginErrors} local-origin failures count as 503 (0) and 504 (timeout), as
 *       Envoy maps them; with it they count only towards {@code consecutiveLocalOriginFailure} and the
 *       local-origin success rate, and any HTTP answer is a local-origin success.</li>
 *   <li>Inline detectors: consecutive 5xx (status ≥ 500), consecutive gateway failures (502, 503, 504; a
 *       non-gateway 5xx resets them), consecutive local-origin failures; a success resets the streak. Reaching
 *       a threshold (0 = off) is a detection; it ejects with the detector's {@code enforcing*} percentage.</li>
 *   <li>Every {@code interval} (on the injected {@link Scheduler}): ejections whose time is up end, an
 *       endpoint healthy long enough has its ejection count decayed by one, and two detectors look at the
 *       interval's outcomes of the endpoints not ejected now (external and, when split, local-origin).
 *       Success rate: among endpoints with at least {@code successRateRequestVolume} requests, if there are
 *       at least {@code successRateMinimumHosts}, those whose success rate is below
 *       {@code mean − stdevFactor / 1000 × stdev} are outliers. Failure percentage: among endpoints with at
 *       least {@code failurePercentageRequestVolume} requests, if there are at least
 *       {@code failurePercentageMinimumHosts}, those that failed {@code failurePercentageThreshold} % of their
 *       requests or more are outliers.</li>
 *   <li>An ejection lasts {@code baseEjectionTime} × the endpoint's ejection count, at most
 *       {@code max(maxEjectionTime, baseEjectionTime)}; it also ends lazily, on the next
 *       {@link #anyEjected()}, once the clock passes it.</li>
 *   <li>No more than {@code maxEjectionPercent} of the endpoints are ejected at once (refusals count as
 *       {@code ejections_overflow}), except that one endpoint may always be ejected when none is (Envoy's
 *       {@code always_eject_one_host: true}; decision 0004).</li>
 * </ul>
 *
 * <p>Thread-safe: counting and ejection take this object's lock; {@link #anyEjected()} reads volatiles and
 * takes the lock only when an ejection is due to end.
 */
public final class OutlierDetector implements AutoCloseable {
    private final OutlierDetection config;
    private final Clock clock;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final OutlierStats stats;
    private final Map<String, HostState> hosts = new HashMap<>();
    private volatile int ejectedCount;
    private volatile long nextReturn = Long.MAX_VALUE;
    private Scheduler.Cancellable timer;
    private boolean closed;

    /**
     * @param config    null turns detection off (the detector then only keeps the hosts' state)
     * @param scheduler runs the interval timer; null for no interval work (no success-rate ejection, no
     *                  decay of ejection counts)
     */
    OutlierDetector(OutlierDetection config, Clock clock, Scheduler scheduler, RandomGenerator random,
                    OutlierStats stats) {
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        this.random = random;
        this.stats = stats;
        if (config != null && scheduler != null) {
            timer = scheduler.schedule(config.interval(), this::onInterval);
        }
    }

    /**
     * The state of each of {@code endpoints}, in order: kept for addresses already known, new for the others
     * (joining now); addresses no longer listed are forgotten (and their ejection ends).
     */
    synchronized HostState[] hosts(List<Endpoint> endpoints) {
        Map<String, HostState> next = new HashMap<>();
        HostState[] out = new HostState[endpoints.size()];
        long now = clock.millis();
        for (int i = 0; i < out.length; i++) {
            String address = endpoints.get(i).address();
            HostState h = next.get(address);
            if (h == null) {
                h = hosts.get(address);
                if (h == null) {
                    h = new HostState(address, now);
                }
                next.put(address, h);
            }
            out[i] = h;
        }
        for (HostState gone : hosts.values()) {
            if (!next.containsKey(gone.address) && gone.ejected()) {
                gone.ejectedUntil = 0;
                stats.active.add(-1);
            }
        }
        hosts.clear();
        hosts.putAll(next);
        publish();
        return out;
    }

    /** Whether any endpoint is ejected now (ending ejections whose time is up first). */
    boolean anyEjected() {
        if (ejectedCount > 0 && clock.millis() >= nextReturn) {
            synchronized (this) {
                restoreDue(clock.millis());
            }
        }
        return ejectedCount > 0;
    }

    /**
     * The outcome of one try to {@code host}: an HTTP status, 0 for a failed or reset connection,
     * {@link LoadBalancer#TIMEOUT} for a local timeout, or {@link LoadBalancer#CLIENT_GONE} (not counted).
     */
    void record(HostState host, int status) {
        if (config == null || status == LoadBalancer.CLIENT_GONE) {
            return;
        }
        boolean local = status <= 0;
        synchronized (this) {
            if (local && config.splitExternalLocalOriginErrors()) {
                host.localOrigin.add(false);
                host.consecutiveLocalOrigin++;
                if (host.consecutiveLocalOrigin == config.consecutiveLocalOriginFailure()) {
                    host.consecutiveLocalOrigin = 0;
                    detected(host, Kind.CONSECUTIVE_LOCAL_ORIGIN_FAILURE, config.enforcingConsecutiveLocalOriginFailure());
                }
                return;
            }
            if (config.splitExternalLocalOriginErrors()) {
                host.localOrigin.add(true);
                host.consecutiveLocalOrigin = 0;
            }
            int code = status == 0 ? 503 : status == LoadBalancer.TIMEOUT ? 504 : status;
            boolean fivexx = code >= 500;
            host.external.add(!fivexx);
            if (!fivexx) {
                host.consecutive5xx = 0;
                host.consecutiveGateway = 0;
                return;
            }
            boolean gateway = code == 502 || code == 503 || code == 504;
            host.consecutiveGateway = gateway ? host.consecutiveGateway + 1 : 0;
            host.consecutive5xx++;
            if (host.consecutiveGateway > 0 && host.consecutiveGateway == config.consecutiveGatewayFailure()) {
                host.consecutiveGateway = 0;
                detected(host, Kind.CONSECUTIVE_GATEWAY_FAILURE, config.enforcingConsecutiveGatewayFailure());
            }
            if (host.consecutive5xx == config.consecutive5xx()) {
                host.consecutive5xx = 0;
                detected(host, Kind.CONSECUTIVE_5XX, config.enforcingConsecutive5xx());
            }
        }
    }

    /** Times {@code host} was ejected, as decayed so far (the multiplier of its next ejection time, minus one). */
    synchronized int ejectionCount(HostState host) {
        return host.backoff;
    }

    /** One interval is over: end due ejections, decay ejection counts, run success-rate and failure-percentage ejection. */
    void onInterval() {
        synchronized (this) {
            if (closed) {
                return;
            }
            long now = clock.millis();
            restoreDue(now);
            long base = config.baseEjectionTime().toMillis();
            for (HostState h : hosts.values()) {
                if (!h.ejected() && h.backoff > 0 && h.lastUnejected >= 0
                        && h.lastUnejected + h.backoff * base <= now) {
                    h.backoff--;
                }
                h.external.swap();
                h.localOrigin.swap();
            }
            ejectByRates(false);
            if (config.splitExternalLocalOriginErrors()) {
                ejectByRates(true);
            }
            timer = scheduler.schedule(config.interval(), this::onInterval);
        }
    }

    /**
     * Success-rate and failure-percentage ejection over the last interval's outcomes (external, or local-origin),
     * as Envoy's: endpoints ejected now are left out, and each detector looks only at the endpoints with at least
     * its request volume, and only when there are at least its minimum number of them.
     */
    private void ejectByRates(boolean localOrigin) {
        List<HostState> candidates = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        List<Long> volumes = new ArrayList<>();
        for (HostState h : hosts.values()) {
            HostState.Bucket b = localOrigin ? h.localOrigin : h.external;
            if (!h.ejected() && b.lastTotal > 0) {
                candidates.add(h);
                rates.add(100.0 * b.lastSuccess / b.lastTotal);
                volumes.add(b.lastTotal);
            }
        }
        successRate(candidates, rates, volumes, localOrigin ? Kind.LOCAL_ORIGIN_SUCCESS_RATE : Kind.SUCCESS_RATE,
                localOrigin ? config.enforcingLocalOriginSuccessRate() : config.enforcingSuccessRate());
        failurePercentage(candidates, rates, volumes,
                localOrigin ? Kind.FAILURE_PERCENTAGE_LOCAL_ORIGIN : Kind.FAILURE_PERCENTAGE,
                localOrigin ? config.enforcingFailurePercentageLocalOrigin() : config.enforcingFailurePercentage());
    }

    /** Outliers below {@code mean − stdevFactor / 1000 × stdev} of the success rates of the endpoints counted. */
    private void successRate(List<HostState> candidates, List<Double> rates, List<Long> volumes, Kind kind,
                             int enforcing) {
        List<HostState> valid = new ArrayList<>();
        List<Double> validRates = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            if (volumes.get(i) >= config.successRateRequestVolume()) {
                valid.add(candidates.get(i));
                validRates.add(rates.get(i));
            }
        }
        if (valid.isEmpty() || valid.size() < config.successRateMinimumHosts()) {
            return;
        }
        double mean = 0;
        for (double r : validRates) {
            mean += r;
        }
        mean /= validRates.size();
        double variance = 0;
        for (double r : validRates) {
            variance += (r - mean) * (r - mean);
        }
        variance /= validRates.size();
        double threshold = mean - config.successRateStdevFactor() / 1000.0 * Math.sqrt(variance);
        for (int i = 0; i < valid.size(); i++) {
            if (validRates.get(i) < threshold) {
                detected(valid.get(i), kind, enforcing);
            }
        }
    }

    /** Outliers whose failures were at least {@code failurePercentageThreshold} % of their requests. */
    private void failurePercentage(List<HostState> candidates, List<Double> rates, List<Long> volumes, Kind kind,
                                   int enforcing) {
        int valid = 0;
        for (long volume : volumes) {
            if (volume >= config.failurePercentageRequestVolume()) {
                valid++;
            }
        }
        if (valid == 0 || valid < config.failurePercentageMinimumHosts()) {
            return;
        }
        for (int i = 0; i < candidates.size(); i++) {
            if (volumes.get(i) >= config.failurePercentageRequestVolume()
                    && 100.0 - rates.get(i) >= config.failurePercentageThreshold()) {
                detected(candidates.get(i), kind, enforcing);
            }
        }
    }

    private void detected(HostState host, Kind kind, int enforcing) {
        if (host.ejected()) {
            return;
        }
        stats.detected(kind).inc();
        if (enforcing <= 0 || (enforcing < 100 && random.nextInt(100) >= enforcing)) {
            return;
        }
        if (!mayEjectOneMore()) {
            stats.overflow.inc();
            return;
        }
        long now = clock.millis();
        long base = config.baseEjectionTime().toMillis();
        long cap = Math.max(config.maxEjectionTime().toMillis(), base);
        if (host.backoff * base < cap) {
            host.backoff++;
        }
        host.ejectedUntil = now + Math.max(1, Math.min(base * host.backoff, cap));
        host.consecutive5xx = 0;
        host.consecutiveGateway = 0;
        host.consecutiveLocalOrigin = 0;
        stats.enforced(kind).inc();
        stats.enforcedTotal.inc();
        stats.active.inc();
        publish();
    }

    private boolean mayEjectOneMore() {
        int ejected = 0;
        for (HostState h : hosts.values()) {
            if (h.ejected()) {
                ejected++;
            }
        }
        return ejected == 0 || (ejected + 1) * 100L <= (long) config.maxEjectionPercent() * hosts.size();
    }

    private void restoreDue(long now) {
        boolean changed = false;
        for (HostState h : hosts.values()) {
            if (h.ejected() && h.ejectedUntil <= now) {
                h.ejectedUntil = 0;
                h.lastUnejected = now;
                stats.active.add(-1);
                changed = true;
            }
        }
        if (changed) {
            publish();
        }
    }

    private void publish() {
        long soonest = Long.MAX_VALUE;
        int ejected = 0;
        for (HostState h : hosts.values()) {
            if (h.ejected()) {
                ejected++;
                soonest = Math.min(soonest, h.ejectedUntil);
            }
        }
        nextReturn = soonest;
        ejectedCount = ejected;
    }

    /** Stops the interval timer and ends every ejection (the cluster is gone or replaced). */
    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        for (HostState h : hosts.values()) {
            if (h.ejected()) {
                h.ejectedUntil = 0;
                stats.active.add(-1);
            }
        }
        publish();
    }

    @Override
    public synchronized String toString() {
        StringBuilder b = new StringBuilder("OutlierDetector[");
        hosts.values().forEach(h -> b.append(h.address).append(h.ejected() ? " ejected " : " ").append(h.backoff).append(';'));
        return b.append(']').toString();
    }
}
