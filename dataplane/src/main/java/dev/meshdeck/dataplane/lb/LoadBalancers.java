package dev.meshdeck.dataplane.lb;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.lb.internal.LeastRequestBalancer;
import dev.meshdeck.dataplane.lb.internal.MaglevBalancer;
import dev.meshdeck.dataplane.lb.internal.RandomBalancer;
import dev.meshdeck.dataplane.lb.internal.RingHashBalancer;
import dev.meshdeck.dataplane.lb.internal.RoundRobinBalancer;
import java.time.Clock;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Makes the load balancer for a cluster's policy. Every balancer:
 * <ul>
 *   <li>honours {@link ClusterConfig.Endpoint#weight()};</li>
 *   <li>runs the cluster's outlier detection (see {@code lb.internal.OutlierDetector}) on what
 *       {@link LoadBalancer#finished} reports, and skips ejected endpoints — unless all are ejected
 *       (Envoy's panic mode: then all are candidates);</li>
 *   <li>skips the {@code exclude}d endpoints of a retry when others are left, preferring a healthy tried
 *       endpoint over an ejected untried one.</li>
 * </ul>
 * A balancer is made for one endpoint set; an EDS update makes a new one (its outlier state starts afresh).
 */
public final class LoadBalancers {
    private LoadBalancers() {
    }

    /**
     * @param random chance for the policy (round-robin start, random, two choices, hashless ring/Maglev
     *               picks); shared between event loops, so it must be safe for concurrent use
     *               ({@link java.util.Random}, or {@code ThreadLocalRandom.current()})
     * @param clock  time for outlier ejections
     */
    public static LoadBalancer create(ClusterConfig cluster, RandomGenerator random, Clock clock) {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(clock, "clock");
        return switch (cluster.lbPolicy()) {
            case ROUND_ROBIN -> new RoundRobinBalancer(cluster, random, clock);
            case LEAST_REQUEST -> new LeastRequestBalancer(cluster, random, clock);
            case RANDOM -> new RandomBalancer(cluster, random, clock);
            case RING_HASH -> new RingHashBalancer(cluster, random, clock);
            case MAGLEV -> new MaglevBalancer(cluster, random, clock);
        };
    }
}
