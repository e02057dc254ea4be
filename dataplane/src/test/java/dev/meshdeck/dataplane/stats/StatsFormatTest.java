package dev.meshdeck.dataplane.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsFormatTest {

    @Test
    void writesCountersAndHistogramsTheWayEnvoysAdminPageDoes() {
        Stats stats = new Stats();
        stats.counter("cluster.outbound|80|v1|reviews.default.svc.cluster.local.upstream_rq_2xx").add(3);
        stats.histogram("cluster.outbound|80|v1|reviews.default.svc.cluster.local.upstream_rq_time").record(7);

        assertThat(StatsFormat.envoyText(stats)).isEqualTo("""
                cluster.outbound|80|v1|reviews.default.svc.cluster.local.upstream_rq_2xx: 3
                cluster.outbound|80|v1|reviews.default.svc.cluster.local.upstream_rq_time: count=1 P50=10 P90=10 P99=10
                """);
    }

    @Test
    void writesPrometheusTextWithTheClusterAsALabel() {
        Stats stats = new Stats();
        stats.counter("cluster.outbound|80|v1|reviews.default.svc.cluster.local.upstream_rq_total").add(3);
        stats.counter("http.outbound.downstream_rq_total").inc();
        stats.histogram("cluster.outbound|80|v1|reviews.default.svc.cluster.local.upstream_rq_time").record(0.2);

        String text = StatsFormat.prometheus(stats);

        assertThat(text).contains("# TYPE envoy_cluster_upstream_rq_total counter\n"
                + "envoy_cluster_upstream_rq_total{envoy_cluster_name=\"outbound|80|v1|reviews.default.svc.cluster.local\"} 3\n");
        assertThat(text).contains("envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix=\"outbound\"} 1\n");
        assertThat(text).contains("envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="
                + "\"outbound|80|v1|reviews.default.svc.cluster.local\",le=\"0.5\"} 1\n");
        assertThat(text).contains("envoy_cluster_upstream_rq_time_count{envoy_cluster_name="
                + "\"outbound|80|v1|reviews.default.svc.cluster.local\"} 1\n");
    }

    @Test
    void namesAndLabelsPrometheusMetricsAsEnvoysTagExtractorsDo() {
        Stats stats = new Stats();
        stats.counter("cluster.outbound|80|v1|reviews.default.svc.cluster.local.upstream_rq_2xx").add(3);
        stats.gauge("cluster.inbound|9080||.outlier_detection.ejections_active").add(1);
        stats.counter("cluster.inbound|9080||.ssl.handshake").add(2);
        stats.counter("http.inbound.fault.aborts_injected").add(4);
        stats.counter("http.inbound.downstream_rq_5xx").add(5);
        stats.counter("listener.127.0.0.1_15006.ssl.fail_verify_san").add(6);

        String text = StatsFormat.prometheus(stats);

        assertThat(text).contains(
                "envoy_cluster_upstream_rq_xx{envoy_cluster_name=\"outbound|80|v1|reviews.default.svc.cluster.local\","
                        + "envoy_response_code_class=\"2\"} 3\n",
                "# TYPE envoy_cluster_outlier_detection_ejections_active gauge\n"
                        + "envoy_cluster_outlier_detection_ejections_active{envoy_cluster_name=\"inbound|9080||\"} 1\n",
                "# TYPE envoy_cluster_ssl_handshake counter\n",
                "envoy_cluster_ssl_handshake{envoy_cluster_name=\"inbound|9080||\"} 2\n",
                "envoy_http_fault_aborts_injected{envoy_http_conn_manager_prefix=\"inbound\"} 4\n",
                "envoy_http_downstream_rq_xx{envoy_http_conn_manager_prefix=\"inbound\",envoy_response_code_class=\"5\"} 5\n",
                "envoy_listener_ssl_fail_verify_san{envoy_listener_address=\"127.0.0.1_15006\"} 6\n");
    }

    @Test
    void givesEachPrometheusMetricOneTypeLineWithAllItsSamplesTogether() {
        Stats stats = new Stats();
        for (String cluster : List.of("a", "b")) {
            stats.counter("cluster." + cluster + ".upstream_cx_total").inc();
            stats.counter("cluster." + cluster + ".upstream_rq_2xx").inc();
            stats.counter("cluster." + cluster + ".upstream_rq_5xx").inc();
            stats.histogram("cluster." + cluster + ".upstream_rq_time").record(1);
        }

        List<String> lines = StatsFormat.prometheus(stats).lines().toList();

        List<String> types = lines.stream().filter(l -> l.startsWith("# TYPE ")).toList();
        assertThat(types).containsExactly("# TYPE envoy_cluster_upstream_cx_total counter",
                "# TYPE envoy_cluster_upstream_rq_xx counter", "# TYPE envoy_cluster_upstream_rq_time histogram");
        // Every sample line follows its own metric's TYPE line, with no other metric in between.
        String family = null;
        for (String line : lines) {
            if (line.startsWith("# TYPE ")) {
                family = line.split(" ")[2];
            } else {
                assertThat(line).startsWith(family);
            }
        }
        assertThat(lines).filteredOn(l -> l.startsWith("envoy_cluster_upstream_rq_xx")).hasSize(4);
    }

    @Test
    void estimatesQuantilesFromBuckets() {
        Histogram h = new Histogram();
        for (int i = 0; i < 90; i++) {
            h.record(3);
        }
        for (int i = 0; i < 10; i++) {
            h.record(200);
        }

        assertThat(h.quantile(0.5)).isEqualTo(5);
        assertThat(h.quantile(0.9)).isEqualTo(5);
        assertThat(h.quantile(0.99)).isEqualTo(250);
    }
}
