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
 * so that many sidecars do not hit the same endpoint first (and again after an endpoint update). Scores count
 * in 1/{@value #SCALE} of a weight unit, so that slow start's fractional weights apply from one pick to the next.
 */
public final class RoundRobinBalancer extends AbstractBalancer<RoundRobinBalancer.Turns> {
    static final long SCALE = 1 << 16;

    /** The configured weights in score units, and each endpoint's running score. */
    record Turns(long[] weights, long[] scores) {
    }

    public RoundRobinBalancer(ClusterConfig cluster, LoadBalancers.Environment env) {
        super(cluster, env);
    }

    @Override
    protected Turns build(List<Endpoint> endpoints, int[] weights) {
        long[] scaled = new long[weights.length];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = weights[i] * SCALE;
        }
        Turns turns = new Turns(scaled, new long[weights.length]);
        if (weights.length > 0) {
            int skip = random.nextInt(weights.length);
            for (int i = 0; i < skip; i++) {
                next(scaled, turns.scores(), null);
            }
        }
        return turns;
    }

    @Override
    protected synchronized int choose(Table<Turns> t, OptionalLong hash, boolean[] allowed) {
        double[] slow = slowStartWeights(t);
        return next(slow == null ? t.policy().weights() : scaled(slow), t.policy().scores(), allowed);
    }

    /** Slow start's weights in score units, at least 1 each (an endpoint at a tiny share still gets its turn). */
    private static long[] scaled(double[] weights) {
        long[] out = new long[weights.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(1, Math.round(weights[i] * SCALE));
        }
        return out;
    }

    private static int next(long[] weights, long[] score, boolean[] allowed) {
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
