package dev.meshdeck.dataplane.stats;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A latency histogram in milliseconds with Envoy's default bucket bounds (0.5 ms to 3 600 000 ms), cheap to
 * record into from any thread; quantiles are estimated from the buckets.
 */
public final class Histogram {
    /** Upper bounds in milliseconds, as Envoy's default histogram buckets. */
    public static final double[] BOUNDS = {0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000,
        60000, 300000, 600000, 1800000, 3600000};

    private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS.length + 1);
    private final LongAdder count = new LongAdder();
    private final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

    public void record(double millis) {
        int i = 0;
        while (i < BOUNDS.length && millis > BOUNDS[i]) {
            i++;
        }
        buckets.incrementAndGet(i);
        count.increment();
        sum.add(millis);
    }

    public long count() {
        return count.sum();
    }

    public double sum() {
        return sum.sum();
    }

    /** How many values were at most {@code BOUNDS[i]} (cumulative), for i in 0..BOUNDS.length-1. */
    public long cumulative(int i) {
        long c = 0;
        for (int j = 0; j <= i; j++) {
            c += buckets.get(j);
        }
        return c;
    }

    /** The upper bound of the bucket holding quantile {@code q} (0..1); 0 when empty. */
    public double quantile(double q) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < buckets.length(); i++) {
            seen += buckets.get(i);
            if (seen >= rank) {
                return i < BOUNDS.length ? BOUNDS[i] : Double.POSITIVE_INFINITY;
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
