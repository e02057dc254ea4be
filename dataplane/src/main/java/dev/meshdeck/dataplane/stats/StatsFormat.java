package dev.meshdeck.dataplane.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Writes {@link Stats} as Envoy's admin {@code /stats} text and as Prometheus' text exposition format. */
public final class StatsFormat {
    private StatsFormat() {
    }

    /** {@code name: value} lines, as Envoy's {@code /stats}; histograms as {@code P50/P90/P99}. */
    public static String envoyText(Stats stats) {
        return envoyText(stats, StatsFilter.ALL);
    }

    /** {@link #envoyText(Stats)} of the stats {@code filter} lets through. */
    public static String envoyText(Stats stats, StatsFilter filter) {
        StringBuilder b = new StringBuilder();
        java.util.Set<String> used = stats.used();
        stats.counterValues().forEach((k, v) -> {
            if (filter.counter(k, v, used.contains(k))) {
                b.append(k).append(": ").append(v).append('\n');
            }
        });
        stats.histograms().forEach((k, h) -> {
            if (filter.histogram(k, h)) {
                b.append(k).append(": ").append(String.format(Locale.ROOT, "count=%d P50=%s P90=%s P99=%s%n", h.count(),
                        fmt(h.quantile(0.5)), fmt(h.quantile(0.9)), fmt(h.quantile(0.99))));
            }
        });
        return b.toString();
    }

    /** Prometheus' text format of every stat; see {@link #prometheus(Stats, StatsFilter)}. */
    public static String prometheus(Stats stats) {
        return prometheus(stats, StatsFilter.ALL);
    }

    /**
     * Prometheus' text format, named and labelled as Envoy's {@code /stats/prometheus} (its default tag extractors):
     * {@code cluster.<name>.<stat>} becomes {@code envoy_cluster_<stat>{envoy_cluster_name="<name>"}},
     * {@code http.<prefix>.<stat>} {@code envoy_http_<stat>{envoy_http_conn_manager_prefix="<prefix>"}} and
     * {@code listener.<address>.<stat>} {@code envoy_listener_<stat>{envoy_listener_address="<address>"}}; a
     * sub-scope stays in the metric's name ({@code cluster.<name>.outlier_detection.ejections_active} is
     * {@code envoy_cluster_outlier_detection_ejections_active}), and a response code class becomes a label
     * ({@code upstream_rq_2xx} is {@code upstream_rq_xx{envoy_response_code_class="2"}}). Each metric's samples come
     * together after its one {@code # TYPE} line, as the format requires; a {@link Stats#gauge} is typed {@code gauge}.
     */
    public static String prometheus(Stats stats, StatsFilter filter) {
        Map<String, List<String>> counters = new TreeMap<>();
        Map<String, String> types = new java.util.HashMap<>();
        java.util.Set<String> used = stats.used();
        stats.counterValues().forEach((name, value) -> {
            if (filter.counter(name, value, used.contains(name))) {
                Tagged t = Tagged.of(name);
                types.put(t.metric, stats.isGauge(name) ? "gauge" : "counter");
                counters.computeIfAbsent(t.metric, m -> new ArrayList<>()).add(t.metric + t.labels("") + ' ' + value);
            }
        });
        Map<String, List<String>> histograms = new TreeMap<>();
        stats.histograms().forEach((name, h) -> {
            if (filter.histogram(name, h)) {
                Tagged t = Tagged.of(name);
                histograms.computeIfAbsent(t.metric, m -> new ArrayList<>()).add(histogram(t, h));
            }
        });
        StringBuilder b = new StringBuilder();
        counters.forEach((metric, samples) -> {
            b.append("# TYPE ").append(metric).append(' ').append(types.get(metric)).append('\n');
            samples.forEach(sample -> b.append(sample).append('\n'));
        });
        histograms.forEach((metric, series) -> {
            b.append("# TYPE ").append(metric).append(" histogram\n");
            series.forEach(b::append);
        });
        return b.toString();
    }

    /** One histogram's bucket, sum and count lines. */
    private static String histogram(Tagged t, Histogram h) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Histogram.BOUNDS.length; i++) {
            b.append(t.metric).append("_bucket").append(t.labels("le=\"" + trim(Histogram.BOUNDS[i]) + "\""))
                    .append(' ').append(h.cumulative(i)).append('\n');
        }
        b.append(t.metric).append("_bucket").append(t.labels("le=\"+Inf\"")).append(' ').append(h.count()).append('\n');
        b.append(t.metric).append("_sum").append(t.labels("")).append(' ').append(trim(h.sum())).append('\n');
        b.append(t.metric).append("_count").append(t.labels("")).append(' ').append(h.count()).append('\n');
        return b.toString();
    }

    /** A scope of stat names, the label its owner's name becomes, and the sub-scopes its stats may sit in. */
    private record Scope(String name, String label, List<String> subScopes) {
    }

    private static final List<Scope> SCOPES = List.of(
            new Scope("cluster", "envoy_cluster_name", List.of("outlier_detection", "ssl")),
            new Scope("http", "envoy_http_conn_manager_prefix", List.of("fault")),
            new Scope("listener", "envoy_listener_address", List.of("ssl")));

    /** A request counter by response code class: {@code upstream_rq_2xx}. */
    private static final Pattern CODE_CLASS = Pattern.compile("(.*_rq)_([1-5])xx");

    /** A stat's Prometheus metric name and labels (label name, value, in order). */
    private record Tagged(String metric, List<String> labels) {
        static Tagged of(String stat) {
            for (Scope scope : SCOPES) {
                if (!stat.startsWith(scope.name + ".")) {
                    continue;
                }
                String rest = stat.substring(scope.name.length() + 1);
                int dot = rest.lastIndexOf('.');
                if (dot <= 0) {
                    break;
                }
                String owner = rest.substring(0, dot);
                String tail = rest.substring(dot + 1);
                for (String sub : scope.subScopes) {
                    if (owner.endsWith("." + sub)) {
                        owner = owner.substring(0, owner.length() - sub.length() - 1);
                        tail = sub + "_" + tail;
                        break;
                    }
                }
                List<String> labels = new ArrayList<>(List.of(scope.label, owner));
                Matcher codeClass = CODE_CLASS.matcher(tail);
                if (codeClass.matches()) {
                    tail = codeClass.group(1) + "_xx";
                    labels.addAll(List.of("envoy_response_code_class", codeClass.group(2)));
                }
                return new Tagged(sanitize("envoy_" + scope.name + "_" + tail), labels);
            }
            return new Tagged(sanitize("envoy_" + stat), List.of());
        }

        String labels(String extra) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < labels.size(); i += 2) {
                if (!b.isEmpty()) {
                    b.append(',');
                }
                b.append(labels.get(i)).append("=\"").append(escape(labels.get(i + 1))).append('"');
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
