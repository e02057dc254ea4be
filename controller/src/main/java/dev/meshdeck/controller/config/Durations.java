package dev.meshdeck.controller.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints durations the way Istio's YAML writes them: Go-style strings such as {@code 7s},
 * {@code 0.5s}, {@code 100ms}, {@code 1m30s} or {@code 1h}. Negative durations are refused.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text and what was expected
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.startsWith("-")) {
            throw new IllegalArgumentException("duration " + quote(text) + " is negative (expected: 0s or more)");
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(s);
        int at = 0;
        java.math.BigDecimal nanos = java.math.BigDecimal.ZERO;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("duration " + quote(text)
                        + " is not a duration (expected: a number and a unit, e.g. 100ms, 1.5s, 1m30s, 1h)");
            }
            java.math.BigDecimal n = new java.math.BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw new IllegalStateException(m.group(2));
            };
            nanos = nanos.add(n.multiply(java.math.BigDecimal.valueOf(unit)));
            at = m.end();
        }
        if (at == 0) {
            throw new IllegalArgumentException("duration " + quote(text)
                    + " is not a duration (expected: a number and a unit, e.g. 100ms, 1.5s, 1m30s, 1h)");
        }
        return Duration.ofNanos(nanos.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
    }

    /** Prints {@code d} in the shortest Istio form: {@code 7s}, {@code 250ms}, {@code 1.5s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        long nanos = d.toNanos();
        if (nanos % 1_000_000_000L == 0) {
            return d.getSeconds() + "s";
        }
        if (nanos % 1_000_000L == 0 && nanos < 1_000_000_000L) {
            return nanos / 1_000_000L + "ms";
        }
        return java.math.BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString() + "s";
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
