package dev.meshdeck.dataplane.lb.internal;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.lb.LoadBalancers;
import java.util.List;
import java.util.OptionalLong;

/** Weighted random: each candidate with probability weight / total weight. */
public final class RandomBalancer extends AbstractBalancer<Void> {

    public RandomBalancer(ClusterConfig cluster, LoadBalancers.Environment env) {
        super(cluster, env);
    }

    @Override
    protected Void build(List<Endpoint> endpoints, int[] weights) {
        return null;
    }

    @Override
    protected int choose(Table<Void> t, OptionalLong hash, boolean[] allowed) {
        return weightedRandom(t, allowed);
    }
}
