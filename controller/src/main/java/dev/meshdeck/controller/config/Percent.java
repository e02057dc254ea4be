package dev.meshdeck.controller.config;

/**
 * A share of requests in percent, 0 to 100 inclusive: Istio's {@code Percent} message
 * ({@code percentage: {value: 12.5}}), or the deprecated integer {@code percent: 12} folded into it.
 */
public record Percent(double value) {
    public static final Percent HUNDRED = new Percent(100);

    public Percent {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException("percentage: " + value + " (expected: 0..100)");
        }
    }
}
