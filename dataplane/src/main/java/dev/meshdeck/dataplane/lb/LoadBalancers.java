package dev.meshdeck.dataplane.lb;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.lb.internal.LeastRequestBalancer;
import dev.meshdeck.dataplane.lb.internal.MaglevBalancer;
import dev.meshdeck.dataplane.lb.internal.RandomBalancer;
import dev.meshdeck.dataplane.lb.internal.RingHashBalancer;
import dev.meshdeck.dataplane.lb.internal.RoundRobinBalancer;
import dev.meshdeck.dataplane.stats.Stats;
import java.time.Clock;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Makes the load balancer for a cluster's policy. Every balancer:
 * <ul>
 *   <li>honours {@link ClusterConfig.Endpoint#weight()};</li>
 *   <li>runs the cluster's outlier detection (see {@code lb.internal.OutlierDetector}) on what
 *       {@link LoadBalancer#finished} reports and on its interval timer, and skips ejected endpoints —
 *       unless all are ejected (Envoy's panic mode: then all are candidates);</li>
 *   <li>skips the {@code exclude}d endpoints of a retry when others are left, preferring a healthy tried
 *       endpoint over an ejected untried one;</li>
 *   <li>takes EDS updates in place ({@link LoadBalancer#update}): endpoints that stay keep their state.</li>
 * </ul>
 */
public final class LoadBalancers {
    private LoadBalancers() {
    }

    /**
     * What a balancer runs with.
     *
     * @param random    chance for the policy (round-robin start, random, two choices, hashless ring/Maglev
     *                  picks) and for outlier detection's {@code enforcing_*} percentages; shared between event
     *                  loops, so it must be safe for concurrent use ({@link java.util.Random}, or
     *                  {@code ThreadLocalRandom.current()})
     * @param clock     time for outlier ejections
     * @param scheduler outlier detection's interval timer; null for none (then no success-rate ejection and no
     *                  decay of ejection counts: for balancing alone)
     * @param stats     where outlier detection counts ({@code cluster.<name>.outlier_detection.*})
     */
    public record Environment(RandomGenerator random, Clock clock, Scheduler scheduler, Stats stats) {
        public Environment {
            Objects.requireNonNull(random, "random");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(stats, "stats");
        }
    }

    public static LoadBalancer create(ClusterConfig cluster, Environment env) {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(env, "env");
        return switch (cluster.lbPolicy()) {
            case ROUND_ROBIN -> new RoundRobinBalancer(cluster, env);
            case LEAST_REQUEST -> new LeastRequestBalancer(cluster, env);
            case RANDOM -> new RandomBalancer(cluster, env);
            case RING_HASH -> new RingHashBalancer(cluster, env);
            case MAGLEV -> new MaglevBalancer(cluster, env);
        };
    }

    /** A balancer without an interval timer, counting into stats of its own: for balancing alone. */
    public static LoadBalancer create(ClusterConfig cluster, RandomGenerator random, Clock clock) {
        return create(cluster, new Environment(random, clock, null, new Stats()));
    }
}
