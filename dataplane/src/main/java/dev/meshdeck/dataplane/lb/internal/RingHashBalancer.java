package dev.meshdeck.dataplane.lb.internal;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.lb.LoadBalancers;
import dev.meshdeck.dataplane.lb.XxHash64;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * Ketama-style consistent hashing, as Envoy's ring hash: at least {@code ringSize} points (at most about
 * twice that), each endpoint getting points in proportion to its weight (at least one), point {@code i} of
 * an endpoint placed at {@code xxHash64("<address>_<i>")}. The points per unit of weight are
 * {@code ringSize / total weight} rounded up to a power of two, so adding or removing an endpoint leaves
 * every other endpoint's points where they were (only about 1/N of the keys move) unless the total weight
 * crosses a power of two; Envoy's scale moves somewhat more. A request goes to the first point at or after its hash (wrapping
 * around); when that endpoint is ejected or excluded the walk goes on to the next point, so only that
 * endpoint's keys move. No hash: a random point (so weights still hold).
 */
public final class RingHashBalancer extends AbstractBalancer<RingHashBalancer.Ring> {

    /** The ring: sorted points and the endpoint index owning each. */
    record Ring(long[] points, int[] owners) {
    }

    public RingHashBalancer(ClusterConfig cluster, LoadBalancers.Environment env) {
        super(cluster, env);
    }

    @Override
    protected Ring build(List<Endpoint> endpoints, int[] weights) {
        long totalWeight = Arrays.stream(weights).asLongStream().sum();
        double scale = scale(cluster.ringSize(), totalWeight);
        int[] counts = new int[weights.length];
        int size = 0;
        for (int i = 0; i < weights.length; i++) {
            counts[i] = (int) Math.max(1, Math.round(weights[i] * scale));
            size += counts[i];
        }
        long[][] entries = new long[size][];
        int n = 0;
        for (int i = 0; i < weights.length; i++) {
            String address = endpoints.get(i).address();
            for (int k = 0; k < counts[i]; k++) {
                entries[n++] = new long[] {XxHash64.hash(address + "_" + k), i};
            }
        }
        Arrays.sort(entries, (a, b) -> a[0] != b[0] ? Long.compareUnsigned(a[0], b[0]) : Long.compare(a[1], b[1]));
        long[] points = new long[size];
        int[] owners = new int[size];
        for (int i = 0; i < size; i++) {
            points[i] = entries[i][0];
            owners[i] = (int) entries[i][1];
        }
        return new Ring(points, owners);
    }

    /** The smallest power of two (possibly below 1) that gives the ring at least {@code ringSize} points. */
    static double scale(long ringSize, long totalWeight) {
        if (totalWeight == 0) {
            return 1;
        }
        double scale = 1;
        while (scale * totalWeight < ringSize) {
            scale *= 2;
        }
        while (scale / 2 * totalWeight >= ringSize) {
            scale /= 2;
        }
        return scale;
    }

    /** Points on the ring. */
    public int ringSize() {
        return table().policy().points().length;
    }

    @Override
    protected int choose(Table<Ring> t, OptionalLong hash, boolean[] allowed) {
        long[] points = t.policy().points();
        int[] owners = t.policy().owners();
        long h = hash.isPresent() ? hash.getAsLong() : random.nextLong();
        int start = firstAtOrAfter(points, h);
        for (int k = 0; k < points.length; k++) {
            int owner = owners[(start + k) % points.length];
            if (allowed(allowed, owner)) {
                return owner;
            }
        }
        throw new IllegalStateException("no candidate on the ring");
    }

    private static int firstAtOrAfter(long[] points, long h) {
        int lo = 0;
        int hi = points.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(points[mid], h) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == points.length ? 0 : lo;
    }
}
