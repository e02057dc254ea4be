package dev.meshdeck.console.demo;

import dev.meshdeck.dataplane.stats.Histogram;
import dev.meshdeck.dataplane.stats.Stats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's live view: requests per second, success rate and latency per edge (a calling workload to a
 * service subset), from the calling sidecars' own statistics ({@code cluster.outbound|...}), over the time
 * since the previous {@link #sample}.
 */
public final class EdgeTable {

    /** One edge over one sampling window. */
    public record Edge(String source, String destination, double requestsPerSecond, double successPercent,
                       double p50Millis, double p99Millis) {
    }

    private record Previous(long total, long failed, long[] buckets) {
    }

    private final Map<String, Previous> previous = new HashMap<>();

    /**
     * The edges seen since the last call; {@code seconds} is the window's length.
     *
     * @param sidecars each calling workload's name and its sidecar's statistics
     */
    public List<Edge> sample(Map<String, Stats> sidecars, double seconds) {
        List<Edge> edges = new ArrayList<>();
        sidecars.forEach((source, stats) -> {
            Map<String, Long> counters = stats.counterValues();
            for (Map.Entry<String, Long> e : counters.entrySet()) {
                String name = e.getKey();
                if (!name.startsWith("cluster.outbound|") || !name.endsWith(".upstream_rq_total")) {
                    continue;
                }
                String cluster = name.substring("cluster.".length(), name.length() - ".upstream_rq_total".length());
                long total = e.getValue();
                long failed = counters.getOrDefault("cluster." + cluster + ".upstream_rq_5xx", 0L);
                Histogram h = stats.histograms().get("cluster." + cluster + ".upstream_rq_time");
                long[] buckets = buckets(h);
                String key = source + "->" + cluster;
                Previous before = previous.getOrDefault(key, new Previous(0, 0, new long[buckets.length]));
                previous.put(key, new Previous(total, failed, buckets));
                long requests = total - before.total;
                if (requests <= 0) {
                    continue;
                }
                long[] window = new long[buckets.length];
                for (int i = 0; i < buckets.length; i++) {
                    window[i] = buckets[i] - before.buckets[i];
                }
                edges.add(new Edge(source, destination(cluster), requests / seconds,
                        100.0 * (requests - (failed - before.failed)) / requests, quantile(window, 0.5),
                        quantile(window, 0.99)));
            }
        });
        edges.sort(java.util.Comparator.comparing(Edge::source).thenComparing(Edge::destination));
        return edges;
    }

    /** {@code outbound|80|v2|reviews.default.svc.cluster.local} → {@code reviews v2}. */
    static String destination(String cluster) {
        String[] parts = cluster.split("\\|", -1);
        if (parts.length != 4) {
            return cluster;
        }
        String host = parts[3].endsWith(".svc.cluster.local") ? parts[3].substring(0, parts[3].indexOf('.')) : parts[3];
        return parts[2].isEmpty() ? host : host + " " + parts[2];
    }

    /** The table as text, one edge a line. */
    public static String format(List<Edge> edges) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-16s %-16s %8s %8s %9s %9s%n",
                "FROM", "TO", "RPS", "SUCCESS", "P50", "P99"));
        for (Edge e : edges) {
            b.append(String.format(Locale.ROOT, "%-16s %-16s %8.1f %7.1f%% %7s ms %6s ms%n", e.source(), e.destination(),
                    e.requestsPerSecond(), e.successPercent(), bound(e.p50Millis()), bound(e.p99Millis())));
        }
        return b.toString();
    }

    private static String bound(double millis) {
        return Double.isInfinite(millis) ? ">3.6e6" : "<=" + (millis == Math.rint(millis)
                ? Long.toString((long) millis) : Double.toString(millis));
    }

    private static long[] buckets(Histogram h) {
        long[] out = new long[Histogram.BOUNDS.length + 1];
        if (h == null) {
            return out;
        }
        long prev = 0;
        for (int i = 0; i < Histogram.BOUNDS.length; i++) {
            long c = h.cumulative(i);
            out[i] = c - prev;
            prev = c;
        }
        out[Histogram.BOUNDS.length] = h.count() - prev;
        return out;
    }

    private static double quantile(long[] window, double q) {
        long total = 0;
        for (long c : window) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < window.length; i++) {
            seen += window[i];
            if (seen >= rank) {
                return i < Histogram.BOUNDS.length ? Histogram.BOUNDS[i] : Double.POSITIVE_INFINITY;
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
