package dev.meshdeck.console.bench;

import java.time.Duration;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * What one load run saw.
 *
 * @param latency   latencies in nanoseconds of the requests in the measured window (open loop: from each request's
 *                  intended send time; closed loop: from its actual send time)
 * @param completed requests answered with 200 in the measured window
 * @param errors    requests in the measured window that failed (not 200, connection lost, or no answer in time)
 * @param window    the measured window (with more than one slice: their sum)
 * @param timeline  the whole run (warm-up included) second by second; with more than one slice, the first one's
 */
public record LoadResult(Histogram latency, long completed, long errors, Duration window, Timeline timeline) {
    public LoadResult {
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(timeline, "timeline");
    }

    /** This run and {@code next} as one: latencies, counts and windows added; the timeline stays this run's. */
    public LoadResult plus(LoadResult next) {
        Histogram both = latency.copy();
        both.add(next.latency);
        return new LoadResult(both, completed + next.completed, errors + next.errors, window.plus(next.window),
                timeline);
    }

    /** Answered requests per second over the window. */
    public double throughput() {
        return completed / (window.toNanos() / 1e9);
    }

    /** A percentile of the latency, in milliseconds. */
    public double millisAt(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1e6;
    }

    public double maxMillis() {
        return latency.getMaxValue() / 1e6;
    }
}
