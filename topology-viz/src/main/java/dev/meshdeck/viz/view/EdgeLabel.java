package dev.meshdeck.viz.view;

import dev.meshdeck.viz.model.EdgeMetrics;

import java.util.Locale;

/** What the label on each edge shows. */
public enum EdgeLabel {
    NONE,
    REQUESTS_PER_SECOND,
    ERROR_PERCENT,
    P99;

    /** The label text for {@code m}, or {@code null} for {@link #NONE} or an edge without traffic. */
    public String format(EdgeMetrics m) {
        if (this == NONE || m.requestsPerSecond() == 0) {
            return null;
        }
        return switch (this) {
            case REQUESTS_PER_SECOND -> m.requestsPerSecond() >= 100
                    ? String.format(Locale.ROOT, "%.0f rps", m.requestsPerSecond())
                    : String.format(Locale.ROOT, "%.1f rps", m.requestsPerSecond());
            case ERROR_PERCENT -> String.format(Locale.ROOT, "%.1f%% err", m.errorRate() * 100);
            case P99 -> m.p99Ms() >= 100
                    ? String.format(Locale.ROOT, "p99 %.0f ms", m.p99Ms())
                    : String.format(Locale.ROOT, "p99 %.1f ms", m.p99Ms());
            case NONE -> null;
        };
    }
}
