package dev.meshdeck.viz.model;

/**
 * The live numbers of one edge over the console's metrics window: requests per second, the share of
 * requests that succeeded (0..1) and latency percentiles in milliseconds (p50 ≤ p90 ≤ p99).
 */
public record EdgeMetrics(double requestsPerSecond, double successRate, double p50Ms, double p90Ms, double p99Ms) {

    /** No traffic seen. */
    public static final EdgeMetrics NONE = new EdgeMetrics(0, 1, 0, 0, 0);

    public EdgeMetrics {
        requireFinite("requestsPerSecond", requestsPerSecond);
        if (requestsPerSecond < 0) {
            throw new IllegalArgumentException("requestsPerSecond: " + requestsPerSecond + " (expected: >= 0)");
        }
        if (!(successRate >= 0 && successRate <= 1)) {
            throw new IllegalArgumentException("successRate: " + successRate + " (expected: 0..1)");
        }
        requireFinite("p50Ms", p50Ms);
        requireFinite("p90Ms", p90Ms);
        requireFinite("p99Ms", p99Ms);
        if (p50Ms < 0 || p50Ms > p90Ms || p90Ms > p99Ms) {
            throw new IllegalArgumentException("latency percentiles: p50 " + p50Ms + ", p90 " + p90Ms + ", p99 "
                    + p99Ms + " ms (expected: 0 <= p50 <= p90 <= p99)");
        }
    }

    /** The share of requests that failed, 0..1. */
    public double errorRate() {
        return 1 - successRate;
    }

    private static void requireFinite(String what, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + ": " + v + " (expected: a finite number)");
        }
    }
}
