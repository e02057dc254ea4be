package dev.meshdeck.dataplane.lb.internal;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.lb.LoadBalancer;
import dev.meshdeck.dataplane.lb.LoadBalancers;
import dev.meshdeck.dataplane.stats.Stats;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * What every policy shares: the endpoints by index (a {@link Table}, swapped whole on an endpoint update),
 * each endpoint's {@link HostState} (kept by address across updates), outlier detection, slow start's weights
 * ({@link #slowStartWeights}) and the choice of candidates. A pick prefers endpoints that are neither ejected
 * nor excluded; then ejected-free ones (a retry may go back to a host it tried); then, when every endpoint is
 * ejected, all of them (Envoy's panic mode: better a host that may fail than certain failure), still avoiding
 * excluded ones if it can. Subclasses build their policy's structure {@code P} for an endpoint set and choose
 * among the candidates they are given.
 *
 * @param <P> the policy's per-endpoint-set structure (ring, Maglev table, round-robin scores)
 */
public abstract class AbstractBalancer<P> implements LoadBalancer {
    protected final ClusterConfig cluster;
    protected final RandomGenerator random;
    private final Clock clock;
    private final ClusterConfig.SlowStart slowStart;
    private final OutlierDetector outliers;
    private volatile Table<P> table;
    /** {@code cluster.<name>.upstream_rq_active}: tries in flight, across the cluster's balancers (old and new). */
    private final Stats.Counter rqActive;
    private int tablesBuilt;

    /**
     * One endpoint set: endpoints, weights and host states by index, the policy's structure for them, and when
     * the last of them joined the cluster (clock millis).
     */
    protected record Table<P>(List<Endpoint> endpoints, int[] weights, Map<Endpoint, Integer> indexes,
                              HostState[] hosts, P policy, long lastJoined) {
        public int size() {
            return endpoints.size();
        }
    }

    protected AbstractBalancer(ClusterConfig cluster, LoadBalancers.Environment env) {
        this.cluster = cluster;
        this.random = env.random();
        this.clock = env.clock();
        this.slowStart = cluster.slowStart();
        this.outliers = new OutlierDetector(cluster.outlierDetection(), env.clock(), env.scheduler(), random,
                new OutlierStats(env.stats(), cluster.name()));
        this.rqActive = env.stats().gauge("cluster." + cluster.name() + ".upstream_rq_active");
        this.table = table(cluster.endpoints());
    }

    /** The policy's structure for {@code endpoints} (weights by index); must not use subclass fields. */
    protected abstract P build(List<Endpoint> endpoints, int[] weights);

    /**
     * Chooses one endpoint index of {@code t}.
     *
     * @param hash    the request hash, if any
     * @param allowed the candidates (index → true), or {@code null} for all; never all false
     */
    protected abstract int choose(Table<P> t, OptionalLong hash, boolean[] allowed);

    private synchronized Table<P> table(List<Endpoint> endpoints) {
        List<Endpoint> eps = List.copyOf(endpoints);
        int[] weights = eps.stream().mapToInt(Endpoint::weight).toArray();
        Map<Endpoint, Integer> indexes = new HashMap<>();
        for (int i = 0; i < eps.size(); i++) {
            indexes.putIfAbsent(eps.get(i), i);
        }
        tablesBuilt++;
        HostState[] hosts = outliers.hosts(eps);
        long lastJoined = Long.MIN_VALUE;
        for (HostState h : hosts) {
            lastJoined = Math.max(lastJoined, h.joinedAt);
        }
        return new Table<>(eps, weights, indexes, hosts, build(eps, weights), lastJoined);
    }

    /**
     * The endpoints' weights under slow start, each {@code weight × }{@link ClusterConfig.SlowStart#factor} of
     * the time since it joined; null when the cluster has no slow start or none of {@code t}'s endpoints is
     * still in its window, or all of them joined together (those of the first endpoint set, say): then the
     * configured weights apply. Slow start holds back endpoints newer than others.
     */
    protected final double[] slowStartWeights(Table<P> t) {
        if (slowStart == null || t.size() == 0) {
            return null;
        }
        long now = clock.millis();
        if (slowStart.factor(now - t.lastJoined()) == 1.0) {
            return null;
        }
        double[] out = new double[t.size()];
        boolean same = true;
        double first = slowStart.factor(now - t.hosts()[0].joinedAt);
        for (int i = 0; i < out.length; i++) {
            double factor = slowStart.factor(now - t.hosts()[i].joinedAt);
            same &= factor == first;
            out[i] = t.weights()[i] * factor;
        }
        return same ? null : out;
    }

    @Override
    public final synchronized void update(List<Endpoint> endpoints) {
        Table<P> current = table;
        if (endpoints.size() == current.size() && new HashSet<>(endpoints).equals(new HashSet<>(current.endpoints()))) {
            return; // the same endpoints with the same weights: the table (a ring, a Maglev table) stays
        }
        table = table(endpoints);
    }

    /** Endpoint sets built so far (the first one included): an update with the same endpoints builds none. */
    public synchronized int tablesBuilt() {
        return tablesBuilt;
    }

    /** The current endpoint set. */
    protected final Table<P> table() {
        return table;
    }

    @Override
    public final Optional<Endpoint> pick(OptionalLong hash, Set<Endpoint> exclude) {
        Table<P> t = table;
        if (t.size() == 0) {
            return Optional.empty();
        }
        boolean[] healthy = outliers.anyEjected() ? healthy(t) : null;
        boolean[] allowed = healthy;
        if (!exclude.isEmpty()) {
            boolean[] notExcluded = without(t, healthy, exclude);
            if (notExcluded != null) {
                allowed = notExcluded;
            } else if (healthy == null || !any(healthy)) {
                allowed = without(t, null, exclude);
            }
        }
        if (allowed != null && !any(allowed)) {
            allowed = null;
        }
        return Optional.of(t.endpoints().get(choose(t, hash, allowed)));
    }

    private static boolean[] healthy(Table<?> t) {
        boolean[] out = new boolean[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = !t.hosts()[i].ejected();
        }
        return out;
    }

    @Override
    public final List<HostStatus> hosts() {
        Table<P> t = table;
        List<HostStatus> out = new java.util.ArrayList<>(t.size());
        for (int i = 0; i < t.size(); i++) {
            HostState h = t.hosts()[i];
            out.add(new HostStatus(t.endpoints().get(i), h.ejected(), h.active.get(), h.tryCounts()));
        }
        return out;
    }

    @Override
    public void started(Endpoint endpoint) {
        rqActive.inc();
        HostState h = host(endpoint);
        if (h != null) {
            h.active.incrementAndGet();
            h.tries.increment();
        }
    }

    @Override
    public void finished(Endpoint endpoint, int status) {
        rqActive.dec();
        HostState h = host(endpoint);
        if (h != null) {
            h.active.getAndUpdate(n -> Math.max(0, n - 1));
            h.countEnd(status);
            outliers.record(h, status);
        }
    }

    /** The state of {@code endpoint}, also when its weight changed since it was picked; null once it is removed. */
    private HostState host(Endpoint endpoint) {
        Table<P> t = table;
        Integer i = t.indexes().get(endpoint);
        if (i != null) {
            return t.hosts()[i];
        }
        for (HostState h : t.hosts()) {
            if (h.address.equals(endpoint.address())) {
                return h;
            }
        }
        return null;
    }

    /** Requests in flight to the endpoint at {@code index} of the current set. */
    public int inFlight(int index) {
        return table.hosts()[index].active.get();
    }

    /** Times the endpoint at {@code index} of the current set was ejected (decayed while healthy). */
    public int ejectionCount(int index) {
        return outliers.ejectionCount(table.hosts()[index]);
    }

    @Override
    public void close() {
        outliers.close();
    }

    /** A weighted random choice among {@code allowed} (null = all). */
    protected final int weightedRandom(Table<P> t, boolean[] allowed) {
        int[] weights = t.weights();
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
    private static boolean[] without(Table<?> t, boolean[] base, Set<Endpoint> exclude) {
        boolean[] out = new boolean[t.size()];
        boolean any = false;
        for (int i = 0; i < out.length; i++) {
            out[i] = (base == null || base[i]) && !exclude.contains(t.endpoints().get(i));
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
        return getClass().getSimpleName() + table.endpoints();
    }
}
