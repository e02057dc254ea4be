package dev.meshdeck.dataplane.lb.internal;

import dev.meshdeck.dataplane.config.ClusterConfig;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * Smooth weighted round robin (nginx's): each pick adds every candidate's weight to its running score,
 * takes the highest score and subtracts the candidates' total from it. Weights 5:1:1 give
 * {@code a a b a c a a}, interleaved rather than bunched. Starts at a random position, as Envoy does,
 * so that many sidecars do not hit the same endpoint first.
 */
public final class RoundRobinBalancer extends AbstractBalancer {
    private final long[] score;

    public RoundRobinBalancer(ClusterConfig cluster, RandomGenerator random, Clock clock) {
        super(cluster, random, clock);
        score = new long[weights.length];
        if (weights.length > 0) {
            int skip = random.nextInt(weights.length);
            for (int i = 0; i < skip; i++) {
                choose(OptionalLong.empty(), null);
            }
        }
    }

    @Override
    protected synchronized int choose(OptionalLong hash, boolean[] allowed) {
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
