package dev.meshdeck.dataplane.lb.internal;

import dev.meshdeck.dataplane.config.ClusterConfig;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/** Weighted random: each candidate with probability weight / total weight. */
public final class RandomBalancer extends AbstractBalancer {

    public RandomBalancer(ClusterConfig cluster, RandomGenerator random, Clock clock) {
        super(cluster, random, clock);
    }

    @Override
    protected int choose(OptionalLong hash, boolean[] allowed) {
        return weightedRandom(allowed);
    }
}
