package dev.meshdeck.dataplane.lb.internal;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.lb.LoadBalancers;
import java.util.List;
import java.util.OptionalLong;

/**
 * Least request, as Envoy's: when all candidates weigh the same, the power of two choices — two
 * distinct random candidates, the one with fewer requests in flight wins (ties to the first drawn);
 * when weights differ, a weighted random choice with dynamic weights {@code weight / (in flight + 1)}
 * (Envoy's {@code active_request_bias} 1.0, drawn at random rather than by Envoy's EDF scheduler). Slow start's
 * weights count as weights: an endpoint in its window makes them differ. Requests
 * in flight are counted per endpoint in its {@link HostState}, so they survive an endpoint update.
 */
public final class LeastRequestBalancer extends AbstractBalancer<Void> {

    public LeastRequestBalancer(ClusterConfig cluster, LoadBalancers.Environment env) {
        super(cluster, env);
    }

    @Override
    protected Void build(List<Endpoint> endpoints, int[] weights) {
        return null;
    }

    @Override
    protected int choose(Table<Void> t, OptionalLong hash, boolean[] allowed) {
        double[] slow = slowStartWeights(t);
        int count = 0;
        double weight = -1;
        boolean equal = true;
        for (int i = 0; i < t.size(); i++) {
            if (allowed(allowed, i)) {
                count++;
                double w = weight(t, slow, i);
                if (weight >= 0 && w != weight) {
                    equal = false;
                }
                weight = w;
            }
        }
        return equal ? twoChoices(t, allowed, count) : dynamicWeighted(t, slow, allowed);
    }

    /** The endpoint's configured weight, or its slow-start weight ({@code slow}) while one is in its window. */
    private static double weight(Table<Void> t, double[] slow, int index) {
        return slow != null ? slow[index] : t.weights()[index];
    }

    private int twoChoices(Table<Void> t, boolean[] allowed, int count) {
        if (count == 1) {
            return nth(t, allowed, 0);
        }
        int a = random.nextInt(count);
        int b = random.nextInt(count - 1);
        if (b >= a) {
            b++;
        }
        int first = nth(t, allowed, a);
        int second = nth(t, allowed, b);
        return active(t, second) < active(t, first) ? second : first;
    }

    private static int active(Table<Void> t, int index) {
        return t.hosts()[index].active.get();
    }

    private int dynamicWeighted(Table<Void> t, double[] slow, boolean[] allowed) {
        double total = 0;
        double[] effective = new double[t.size()];
        for (int i = 0; i < effective.length; i++) {
            if (allowed(allowed, i)) {
                effective[i] = weight(t, slow, i) / (active(t, i) + 1);
                total += effective[i];
            }
        }
        double r = random.nextDouble() * total;
        int last = -1;
        for (int i = 0; i < effective.length; i++) {
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

    private static int nth(Table<Void> t, boolean[] allowed, int n) {
        int[] weights = t.weights();
        for (int i = 0; i < weights.length; i++) {
            if (allowed(allowed, i) && n-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("candidate " + n + " out of range");
    }
}
