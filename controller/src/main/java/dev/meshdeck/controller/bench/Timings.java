package dev.meshdeck.controller.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A summary of measured durations: the median, the 99th percentile (nearest rank) and the slowest.
 *
 * @param count  how many were measured
 * @param median the middle one (the mean of the two middle ones for an even count)
 * @param p99    the one that 99% of them do not exceed
 * @param max    the slowest
 */
public record Timings(int count, Duration median, Duration p99, Duration max) {
    public Timings {
        Objects.requireNonNull(median, "median");
        Objects.requireNonNull(p99, "p99");
        Objects.requireNonNull(max, "max");
        if (count < 1) {
            throw new IllegalArgumentException("count: " + count + " (expected: 1 or more)");
        }
    }

    /** Summarizes durations in nanoseconds. */
    public static Timings of(long... nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no durations (expected: 1 or more)");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        long median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        int rank = (int) Math.ceil(0.99 * n);
        return new Timings(n, Duration.ofNanos(median), Duration.ofNanos(sorted[Math.max(0, rank - 1)]),
                Duration.ofNanos(sorted[n - 1]));
    }

    /** A duration in milliseconds with one decimal, e.g. {@code 12.3}. */
    public static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e6);
    }

    @Override
    public String toString() {
        return "median " + millis(median) + " ms, p99 " + millis(p99) + " ms, max " + millis(max) + " ms";
    }
}
