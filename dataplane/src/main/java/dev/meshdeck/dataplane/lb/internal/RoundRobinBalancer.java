package dev.meshdeck.dataplane.lb.internal;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.lb.LoadBalancers;
import java.util.List;
import java.util.OptionalLong;

/**
 * Smooth weighted round robin (nginx's): each pick adds every candidate's weight to its running score,
 * takes the highest score and subtracts the candidates' total from it. Weights 5:1:1 give
 * {@code a a b a c a a}, interleaved rather than bunched. Starts at a random position, as Envoy does,
 * so that many sidecars do not hit the same endpoint first (and again after an endpoint update).
 */
public final class RoundRobinBalancer extends AbstractBalancer<long[]> {

    public RoundRobinBalancer(ClusterConfig cluster, LoadBalancers.Environment env) {
        super(cluster, env);
    }

    @Override
    protected long[] build(List<Endpoint> endpoints, int[] weights) {
        long[] score = new long[weights.length];
        if (weights.length > 0) {
            int skip = random.nextInt(weights.length);
            for (int i = 0; i < skip; i++) {
                next(weights, score, null);
            }
        }
        return score;
    }

    @Override
    protected synchronized int choose(Table<long[]> t, OptionalLong hash, boolean[] allowed) {
        return next(t.weights(), t.policy(), allowed);
    }

    private static int next(int[] weights, long[] score, boolean[] allowed) {
        long total = 0;
        int best = -1;
        for (int i = 0; i < weights.length; i++) {
            if (allowed(allowed, i)) {
                score[i] += weights[i];
                total += weights[i];
                if (best < 0 || score[i] > score[best]) {
                    best = i;
                }
            }
        }
        score[best] -= total;
        return best;
    }
}
