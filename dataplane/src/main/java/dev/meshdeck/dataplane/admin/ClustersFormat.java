package dev.meshdeck.dataplane.admin;

import dev.meshdeck.dataplane.lb.LoadBalancer.TryCounts;
import dev.meshdeck.dataplane.proxy.ClusterStatus;
import dev.meshdeck.dataplane.proxy.ClusterStatus.EndpointStatus;
import java.util.List;

/**
 * Writes the admin endpoint's {@code /clusters} as Envoy does: its text (one {@code NAME::...} line per fact) or,
 * with {@code format=json}, the JSON of Envoy's {@code envoy.admin.v3.Clusters}. Per endpoint, Envoy's per-host
 * stats: the counters {@code cx_connect_fail}, {@code cx_total}, {@code rq_error}, {@code rq_success},
 * {@code rq_timeout} and {@code rq_total}, the gauges {@code cx_active} and {@code rq_active}, its weight and its
 * health ({@code healthy}, or {@code /failed_outlier_check} while outlier detection has it ejected).
 */
public final class ClustersFormat {
    private ClustersFormat() {
    }

    private record Stat(String name, long value, boolean gauge) {
    }

    /** The per-host stats in Envoy's text order (by name). */
    private static List<Stat> stats(EndpointStatus e) {
        TryCounts t = e.tries();
        return List.of(new Stat("cx_active", e.cxActive(), true), new Stat("cx_connect_fail", e.cxConnectFail(), false),
                new Stat("cx_total", e.cxTotal(), false), new Stat("rq_active", e.rqActive(), true),
                new Stat("rq_error", t.error(), false), new Stat("rq_success", t.success(), false),
                new Stat("rq_timeout", t.timeout(), false), new Stat("rq_total", t.total(), false));
    }

    /**
     * Envoy's text: per cluster {@code NAME::added_via_api::true}, then per endpoint
     * {@code NAME::IP:PORT::STAT::VALUE} for each stat, {@code health_flags} and {@code weight}.
     */
    public static String text(List<ClusterStatus> clusters) {
        StringBuilder b = new StringBuilder();
        for (ClusterStatus c : clusters) {
            b.append(c.name()).append("::added_via_api::true\n");
            for (EndpointStatus e : c.endpoints()) {
                String prefix = c.name() + "::" + e.address() + "::";
                for (Stat s : stats(e)) {
                    b.append(prefix).append(s.name()).append("::").append(s.value()).append('\n');
                }
                b.append(prefix).append("health_flags::").append(e.ejected() ? "/failed_outlier_check" : "healthy")
                        .append('\n');
                b.append(prefix).append("weight::").append(e.weight()).append('\n');
            }
        }
        return b.toString();
    }

    /**
     * The JSON of Envoy's {@code envoy.admin.v3.Clusters} (protobuf's JSON mapping: 64-bit values as strings, a
     * counter's type left out as the enum's default, a gauge's {@code "type": "GAUGE"}).
     */
    public static String json(List<ClusterStatus> clusters) {
        StringBuilder b = new StringBuilder("{\n \"cluster_statuses\": [");
        for (int i = 0; i < clusters.size(); i++) {
            ClusterStatus c = clusters.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("  {\n   \"name\": ");
            Json.string(b, c.name());
            b.append(",\n   \"added_via_api\": true,\n   \"host_statuses\": [");
            for (int j = 0; j < c.endpoints().size(); j++) {
                EndpointStatus e = c.endpoints().get(j);
                b.append(j == 0 ? "\n" : ",\n").append("    {\n     \"address\": {\n      \"socket_address\": {\n")
                        .append("       \"address\": ");
                Json.string(b, e.host());
                b.append(",\n       \"port_value\": ").append(e.port()).append("\n      }\n     },\n     \"stats\": [");
                List<Stat> stats = stats(e);
                for (int k = 0; k < stats.size(); k++) {
                    Stat s = stats.get(k);
                    b.append(k == 0 ? "\n" : ",\n").append("      {\"name\": \"").append(s.name()).append("\", ");
                    if (s.gauge()) {
                        b.append("\"type\": \"GAUGE\", ");
                    }
                    b.append("\"value\": \"").append(s.value()).append("\"}");
                }
                b.append("\n     ],\n     \"health_status\": {\n      \"eds_health_status\": \"HEALTHY\"");
                if (e.ejected()) {
                    b.append(",\n      \"failed_outlier_check\": true");
                }
                b.append("\n     },\n     \"weight\": ").append(e.weight()).append("\n    }");
            }
            b.append(c.endpoints().isEmpty() ? "]" : "\n   ]").append("\n  }");
        }
        b.append(clusters.isEmpty() ? "]" : "\n ]").append("\n}\n");
        return b.toString();
    }
}
