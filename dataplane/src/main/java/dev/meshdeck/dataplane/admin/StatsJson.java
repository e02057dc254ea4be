package dev.meshdeck.dataplane.admin;

import dev.meshdeck.dataplane.stats.Histogram;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.stats.StatsFilter;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code /stats?format=json} as Envoy does: {@code {"stats": [{"name": ..., "value": ...}, ...,
 * {"histograms": {"supported_quantiles": [...], "computed_quantiles": [{"name": ..., "values": [{"interval": ...,
 * "cumulative": ...}]}]}}]}}. Counters and gauges by name; each histogram's quantiles are cumulative (since the
 * sidecar started), and {@code interval} is {@code null}: the sidecar keeps no per-interval histograms. A quantile
 * is the upper bound of the bucket it falls in ({@link Histogram#BOUNDS}, ms), {@code null} past the last bound.
 */
public final class StatsJson {
    /** Envoy's supported quantiles, in percent. */
    static final double[] QUANTILES = {0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100};

    private StatsJson() {
    }

    /** The JSON of the stats {@code filter} lets through. */
    public static String json(Stats stats, StatsFilter filter) {
        StringBuilder b = new StringBuilder("{\"stats\":[");
        boolean first = true;
        java.util.Set<String> used = stats.used();
        for (Map.Entry<String, Long> e : stats.counterValues().entrySet()) {
            if (filter.counter(e.getKey(), e.getValue(), used.contains(e.getKey()))) {
                b.append(first ? "" : ",").append("\n{\"name\":");
                Json.string(b, e.getKey());
                b.append(",\"value\":").append(e.getValue()).append('}');
                first = false;
            }
        }
        StringBuilder computed = new StringBuilder();
        for (Map.Entry<String, Histogram> e : stats.histograms().entrySet()) {
            if (!filter.histogram(e.getKey(), e.getValue())) {
                continue;
            }
            computed.append(computed.isEmpty() ? "" : ",").append("\n{\"name\":");
            Json.string(computed, e.getKey());
            computed.append(",\"values\":[");
            for (int i = 0; i < QUANTILES.length; i++) {
                double q = e.getValue().count() == 0 ? Double.NaN : e.getValue().quantile(QUANTILES[i] / 100);
                computed.append(i == 0 ? "" : ",").append("{\"interval\":null,\"cumulative\":").append(number(q))
                        .append('}');
            }
            computed.append("]}");
        }
        b.append(first ? "" : ",").append("\n{\"histograms\":{\"supported_quantiles\":[");
        for (int i = 0; i < QUANTILES.length; i++) {
            b.append(i == 0 ? "" : ",").append(number(QUANTILES[i]));
        }
        return b.append("],\"computed_quantiles\":[").append(computed).append("]}}\n]}\n").toString();
    }

    /** A JSON number ({@code 25}, {@code 99.5}), or {@code null} for no value or an unbounded one. */
    private static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d);
    }
}
