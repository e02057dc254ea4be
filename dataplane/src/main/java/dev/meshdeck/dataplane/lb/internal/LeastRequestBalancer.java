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
 * (Envoy's {@code active_request_bias} 1.0, drawn at random rather than by Envoy's EDF scheduler). Requests
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
        int[] weights = t.weights();
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
        return equal ? twoChoices(t, allowed, count) : dynamicWeighted(t, allowed);
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

    private int dynamicWeighted(Table<Void> t, boolean[] allowed) {
        int[] weights = t.weights();
        double total = 0;
        double[] effective = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            if (allowed(allowed, i)) {
                effective[i] = (double) weights[i] / (active(t, i) + 1);
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
