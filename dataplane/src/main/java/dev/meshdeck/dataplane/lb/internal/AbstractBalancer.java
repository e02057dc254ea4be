package dev.meshdeck.dataplane.lb.internal;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.lb.LoadBalancer;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * What every policy shares: the endpoints by index, outlier detection, and the choice of candidates.
 * A pick prefers endpoints that are neither ejected nor excluded; then ejected-free ones (a retry may
 * go back to a host it tried); then, when every endpoint is ejected, all of them (Envoy's panic mode:
 * better a host that may fail than certain failure), still avoiding excluded ones if it can.
 * Subclasses only choose among the candidates they are given.
 */
public abstract class AbstractBalancer implements LoadBalancer {
    protected final List<Endpoint> endpoints;
    protected final int[] weights;
    protected final RandomGenerator random;
    private final Map<Endpoint, Integer> indexes = new HashMap<>();
    private final OutlierDetector outliers;

    protected AbstractBalancer(ClusterConfig cluster, RandomGenerator random, Clock clock) {
        this.endpoints = cluster.endpoints();
        this.random = random;
        this.weights = endpoints.stream().mapToInt(Endpoint::weight).toArray();
        for (int i = 0; i < endpoints.size(); i++) {
            indexes.putIfAbsent(endpoints.get(i), i);
        }
        this.outliers = new OutlierDetector(cluster.outlierDetection(), endpoints.size(), clock);
    }

    /**
     * Chooses one endpoint index.
     *
     * @param hash    the request hash, if any
     * @param allowed the candidates (index → true), or {@code null} for all; never all false
     */
    protected abstract int choose(OptionalLong hash, boolean[] allowed);

    @Override
    public final Optional<Endpoint> pick(OptionalLong hash, Set<Endpoint> exclude) {
        if (endpoints.isEmpty()) {
            return Optional.empty();
        }
        boolean[] healthy = outliers.healthy();
        boolean[] allowed = healthy;
        if (!exclude.isEmpty()) {
            boolean[] notExcluded = without(healthy, exclude);
            if (notExcluded != null) {
                allowed = notExcluded;
            } else if (healthy == null || !any(healthy)) {
                allowed = without(null, exclude);
            }
        }
        if (allowed != null && !any(allowed)) {
            allowed = null;
        }
        return Optional.of(endpoints.get(choose(hash, allowed)));
    }

    @Override
    public void started(Endpoint endpoint) {
        Integer i = indexes.get(endpoint);
        if (i != null) {
            onStarted(i);
        }
    }

    @Override
    public void finished(Endpoint endpoint, int status) {
        Integer i = indexes.get(endpoint);
        if (i != null) {
            onFinished(i);
            outliers.record(i, status);
        }
    }

    /** Hook for least request. */
    protected void onStarted(int index) {
    }

    /** Hook for least request. */
    protected void onFinished(int index) {
    }

    /** A weighted random choice among {@code allowed} (null = all). */
    protected final int weightedRandom(boolean[] allowed) {
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            if (allowed == null || allowed[i]) {
                total += weights[i];
            }
        }
        long r = random.nextLong(total);
        for (int i = 0; i < weights.length; i++) {
            if (allowed == null || allowed[i]) {
                r -= weights[i];
                if (r < 0) {
                    return i;
                }
            }
        }
        throw new IllegalStateException("no candidate");
    }

    protected static boolean allowed(boolean[] allowed, int index) {
        return allowed == null || allowed[index];
    }

    /** {@code base} (null = all) minus {@code exclude}; null when nothing is left. */
    private boolean[] without(boolean[] base, Set<Endpoint> exclude) {
        boolean[] out = new boolean[endpoints.size()];
        boolean any = false;
        for (int i = 0; i < out.length; i++) {
            out[i] = (base == null || base[i]) && !exclude.contains(endpoints.get(i));
            any |= out[i];
        }
        return any ? out : null;
    }

    private static boolean any(boolean[] mask) {
        for (boolean b : mask) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + endpoints;
    }
}
