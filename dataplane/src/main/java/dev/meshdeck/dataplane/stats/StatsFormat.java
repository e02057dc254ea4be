package dev.meshdeck.dataplane.stats;

import java.util.Locale;
import java.util.Map;

/** Writes {@link Stats} as Envoy's admin {@code /stats} text and as Prometheus' text exposition format. */
public final class StatsFormat {
    private StatsFormat() {
    }

    /** {@code name: value} lines, as Envoy's {@code /stats}; histograms as {@code P50/P90/P99}. */
    public static String envoyText(Stats stats) {
        StringBuilder b = new StringBuilder();
        stats.counterValues().forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
        stats.histograms().forEach((k, h) -> b.append(k).append(": ")
                .append(String.format(Locale.ROOT, "count=%d P50=%s P90=%s P99=%s%n", h.count(),
                        fmt(h.quantile(0.5)), fmt(h.quantile(0.9)), fmt(h.quantile(0.99)))));
        return b.toString();
    }

    /**
     * Prometheus text format: {@code envoy_cluster_upstream_rq_2xx{envoy_cluster_name="outbound|80||x"} 3}.
     * A stat {@code cluster.<name>.<stat>} becomes {@code envoy_cluster_<stat>} with the cluster as a label,
     * {@code http.<listener>.<stat>} becomes {@code envoy_http_<stat>} with the listener as a label, as
     * Envoy's own exporter does.
     */
    public static String prometheus(Stats stats) {
        StringBuilder b = new StringBuilder();
        String lastType = "";
        for (Map.Entry<String, Long> e : stats.counterValues().entrySet()) {
            Name n = Name.of(e.getKey());
            if (!n.metric.equals(lastType)) {
                b.append("# TYPE ").append(n.metric).append(" counter\n");
                lastType = n.metric;
            }
            b.append(n.metric).append(n.labels("")).append(' ').append(e.getValue()).append('\n');
        }
        for (Map.Entry<String, Histogram> e : stats.histograms().entrySet()) {
            Name n = Name.of(e.getKey());
            Histogram h = e.getValue();
            b.append("# TYPE ").append(n.metric).append(" histogram\n");
            for (int i = 0; i < Histogram.BOUNDS.length; i++) {
                b.append(n.metric).append("_bucket").append(n.labels("le=\"" + trim(Histogram.BOUNDS[i]) + "\""))
                        .append(' ').append(h.cumulative(i)).append('\n');
            }
            b.append(n.metric).append("_bucket").append(n.labels("le=\"+Inf\"")).append(' ').append(h.count()).append('\n');
            b.append(n.metric).append("_sum").append(n.labels("")).append(' ').append(trim(h.sum())).append('\n');
            b.append(n.metric).append("_count").append(n.labels("")).append(' ').append(h.count()).append('\n');
        }
        return b.toString();
    }

    private record Name(String metric, String labelName, String labelValue) {
        static Name of(String stat) {
            for (String scope : new String[] {"cluster", "http", "listener"}) {
                if (stat.startsWith(scope + ".")) {
                    String rest = stat.substring(scope.length() + 1);
                    int dot = rest.lastIndexOf('.');
                    if (dot > 0) {
                        return new Name(sanitize("envoy_" + scope + "_" + rest.substring(dot + 1)),
                                "envoy_" + scope + "_name", rest.substring(0, dot));
                    }
                }
            }
            return new Name(sanitize("envoy_" + stat), null, null);
        }

        String labels(String extra) {
            StringBuilder b = new StringBuilder();
            if (labelName != null) {
                b.append(labelName).append("=\"").append(escape(labelValue)).append('"');
            }
            if (!extra.isEmpty()) {
                if (!b.isEmpty()) {
                    b.append(',');
                }
                b.append(extra);
            }
            return b.isEmpty() ? "" : "{" + b + "}";
        }
    }

    private static String sanitize(String s) {
        return s.replaceAll("[^a-zA-Z0-9_:]", "_");
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String fmt(double d) {
        return Double.isInfinite(d) ? "+Inf" : trim(d);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
