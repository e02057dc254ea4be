package dev.meshdeck.dataplane.lb.internal;

import dev.meshdeck.dataplane.config.ClusterConfig;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.random.RandomGenerator;

/**
 * Least request, as Envoy's: when all candidates weigh the same, the power of two choices — two
 * distinct random candidates, the one with fewer requests in flight wins (ties to the first drawn);
 * when weights differ, a weighted random choice with dynamic weights {@code weight / (in flight + 1)}
 * (Envoy's {@code active_request_bias} 1.0, drawn at random rather than by Envoy's EDF scheduler).
 */
public final class LeastRequestBalancer extends AbstractBalancer {
    private final AtomicIntegerArray inFlight;

    public LeastRequestBalancer(ClusterConfig cluster, RandomGenerator random, Clock clock) {
        super(cluster, random, clock);
        inFlight = new AtomicIntegerArray(weights.length);
    }

    /** Requests in flight to endpoint {@code index}. */
    public int inFlight(int index) {
        return inFlight.get(index);
    }

    @Override
    protected void onStarted(int index) {
        inFlight.incrementAndGet(index);
    }

    @Override
    protected void onFinished(int index) {
        inFlight.getAndUpdate(index, n -> Math.max(0, n - 1));
    }

    @Override
    protected int choose(OptionalLong hash, boolean[] allowed) {
        int count = 0;
        int weight = -1;
        boolean equal = true;
        for (int i = 0; i < weights.length; i++) {
            if (allowed(allowed, i)) {
                count++;
                if (weight >= 0 && weights[i] != weight) {
                    equal = false;
                }
                weight = weights[i];
            }
        }
        return equal ? twoChoices(allowed, count) : dynamicWeighted(allowed);
    }

    private int twoChoices(boolean[] allowed, int count) {
        if (count == 1) {
            return nth(allowed, 0);
        }
        int a = random.nextInt(count);
        int b = random.nextInt(count - 1);
        if (b >= a) {
            b++;
        }
        int first = nth(allowed, a);
        int second = nth(allowed, b);
        return inFlight.get(second) < inFlight.get(first) ? second : first;
    }

    private int dynamicWeighted(boolean[] allowed) {
        double total = 0;
        double[] effective = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            if (allowed(allowed, i)) {
                effective[i] = (double) weights[i] / (inFlight.get(i) + 1);
                total += effective[i];
            }
        }
        double r = random.nextDouble() * total;
        int last = -1;
        for (int i = 0; i < weights.length; i++) {
            if (allowed(allowed, i)) {
                last = i;
                r -= effective[i];
                if (r < 0) {
                    return i;
                }
            }
        }
        return last;
    }

    private int nth(boolean[] allowed, int n) {
        for (int i = 0; i < weights.length; i++) {
            if (allowed(allowed, i) && n-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("candidate " + n + " out of range");
    }
}
