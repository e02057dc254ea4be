package dev.meshdeck.console.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.stats.Stats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeTableTest {

    @Test
    void reportsRateSuccessAndLatencyPerEdgeOverTheWindowOnly() {
        Stats productpage = new Stats();
        String reviews = "cluster.outbound|80|v2|reviews.default.svc.cluster.local";
        productpage.counter(reviews + ".upstream_rq_total").add(10);
        productpage.counter(reviews + ".upstream_rq_5xx").add(10);
        EdgeTable table = new EdgeTable();
        table.sample(Map.of("productpage-v1", productpage), 1);

        productpage.counter(reviews + ".upstream_rq_total").add(20);
        productpage.counter(reviews + ".upstream_rq_5xx").add(1);
        for (int i = 0; i < 20; i++) {
            productpage.histogram(reviews + ".upstream_rq_time").record(i < 19 ? 3 : 80);
        }
        List<EdgeTable.Edge> edges = table.sample(Map.of("productpage-v1", productpage), 2);

        assertThat(edges).containsExactly(new EdgeTable.Edge("productpage-v1", "reviews v2", 10, 95, 5, 100));
        assertThat(EdgeTable.format(edges)).contains("productpage-v1   reviews v2           10.0    95.0%");
    }

    @Test
    void leavesOutEdgesWithoutTrafficInTheWindow() {
        Stats stats = new Stats();
        stats.counter("cluster.outbound|80||details.default.svc.cluster.local.upstream_rq_total").add(5);
        EdgeTable table = new EdgeTable();
        assertThat(table.sample(Map.of("a", stats), 1)).extracting(EdgeTable.Edge::destination).containsExactly("details");

        assertThat(table.sample(Map.of("a", stats), 1)).isEmpty();
    }
}
