package dev.meshdeck.dataplane.stats;

import static org.assertj.core.api.Assertions.assertThat;

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
        stats.counter("cluster.outbound|80|v1|reviews.default.svc.cluster.local.upstream_rq_2xx").add(3);
        stats.counter("http.outbound.downstream_rq_total").inc();
        stats.histogram("cluster.outbound|80|v1|reviews.default.svc.cluster.local.upstream_rq_time").record(0.2);

        String text = StatsFormat.prometheus(stats);

        assertThat(text).contains("# TYPE envoy_cluster_upstream_rq_2xx counter\n"
                + "envoy_cluster_upstream_rq_2xx{envoy_cluster_name=\"outbound|80|v1|reviews.default.svc.cluster.local\"} 3\n");
        assertThat(text).contains("envoy_http_downstream_rq_total{envoy_http_name=\"outbound\"} 1\n");
        assertThat(text).contains("envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="
                + "\"outbound|80|v1|reviews.default.svc.cluster.local\",le=\"0.5\"} 1\n");
        assertThat(text).contains("envoy_cluster_upstream_rq_time_count{envoy_cluster_name="
                + "\"outbound|80|v1|reviews.default.svc.cluster.local\"} 1\n");
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
