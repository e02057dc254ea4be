package dev.meshdeck.console.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.HdrHistogram.IntCountsHistogram;

/**
 * A load run second by second, warm-up included: how many requests were answered and failed in each second and
 * their latency. It shows how long a path takes to warm up (a JVM proxy starts interpreted; HAProxy does not).
 *
 * <p>A request belongs to the second it was due in (open loop) or answered in (closed loop). Not thread-safe: the
 * load's event loop records into it.
 */
public final class Timeline {
    /** Latencies above ten minutes are recorded as ten minutes (a second's histogram is then ~17 KB). */
    private static final long HIGHEST_NANOS = 600_000_000_000L;

    /**
     * One second of the run.
     *
     * @param second   seconds since the run's first request (0 is the first second)
     * @param answered requests answered with 200
     * @param errors   requests that failed
     * @param p50      median latency of the answered ones, ms (0 when none)
     * @param p99      99th percentile, ms (0 when none)
     */
    public record Second(int second, long answered, long errors, double p50, double p99) {
        /** Answered without errors and with a p99 of at most {@code p99LimitMillis}. */
        public boolean settled(double p99LimitMillis) {
            return errors == 0 && p99 <= p99LimitMillis;
        }
    }

    private final List<Bucket> buckets = new ArrayList<>();

    void answered(int second, long latencyNanos) {
        Bucket b = bucket(second);
        b.answered++;
        b.latency.recordValue(Math.min(HIGHEST_NANOS, Math.max(0, latencyNanos)));
    }

    void failed(int second) {
        bucket(second).errors++;
    }

    private Bucket bucket(int second) {
        if (second < 0) {
            throw new IllegalArgumentException("second: " + second + " (expected: 0 or more)");
        }
        while (buckets.size() <= second) {
            buckets.add(new Bucket());
        }
        return buckets.get(second);
    }

    /** Every second from the first to the last that saw a request, empty ones included. */
    public List<Second> seconds() {
        List<Second> out = new ArrayList<>(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            boolean any = b.answered > 0;
            out.add(new Second(i, b.answered, b.errors, any ? b.latency.getValueAtPercentile(50) / 1e6 : 0,
                    any ? b.latency.getValueAtPercentile(99) / 1e6 : 0));
        }
        return out;
    }

    /**
     * The first second from which every later second is {@linkplain Second#settled settled} (so 0: from the start);
     * empty when the last second is not, or nothing was recorded.
     */
    public OptionalInt settledAfter(double p99LimitMillis) {
        List<Second> seconds = seconds();
        int first = seconds.size();
        while (first > 0 && seconds.get(first - 1).settled(p99LimitMillis)) {
            first--;
        }
        return first == seconds.size() ? OptionalInt.empty() : OptionalInt.of(first);
    }

    private static final class Bucket {
        final IntCountsHistogram latency = new IntCountsHistogram(HIGHEST_NANOS, 2);
        long answered;
        long errors;
    }
}
