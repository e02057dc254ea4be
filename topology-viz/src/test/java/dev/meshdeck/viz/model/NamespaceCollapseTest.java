package dev.meshdeck.viz.model;

import dev.meshdeck.viz.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NamespaceCollapseTest {

    @Test
    void replacesACollapsedNamespaceByOneNodeWithWorstHealthAndAllBadges() {
        TopologyGraph g = Fixtures.bookinfo();
        g = g.withNodeUpdates(List.of(g.node("reviews-v3").withHealth(Health.DEGRADED),
                g.node("details").withBadges(Set.of(Badge.FAULT_INJECTED))));

        TopologyGraph c = NamespaceCollapse.collapse(g, Set.of("bookinfo"));

        assertThat(c.nodes()).extracting(GraphNode::id)
                .containsExactly("ingress", "namespace:bookinfo", "ratings", "ratings-v1");
        GraphNode ns = c.node("namespace:bookinfo");
        assertThat(ns.kind()).isEqualTo(NodeKind.NAMESPACE);
        assertThat(ns.label()).isEqualTo("bookinfo (8)");
        assertThat(ns.health()).isEqualTo(Health.DEGRADED);
        assertThat(ns.badges()).containsExactly(Badge.FAULT_INJECTED);
    }

    @Test
    void mergesEdgesAddingRatesAndWeightingTheRestByRate() {
        TopologyGraph g = Fixtures.bookinfo();
        g = g.withEdgeUpdates(List.of(
                g.edge("reviews-v2->ratings").withMetrics(new EdgeMetrics(30, 1.0, 10, 20, 40)).withMtlsShare(1),
                g.edge("reviews-v3->ratings").withMetrics(new EdgeMetrics(10, 0.6, 30, 40, 80)).withMtlsShare(0)));

        TopologyGraph c = NamespaceCollapse.collapse(g, Set.of("bookinfo"));

        assertThat(c.edges()).extracting(GraphEdge::id).containsExactly(
                "ingress->namespace:bookinfo", "namespace:bookinfo->ratings", "ratings->ratings-v1");
        GraphEdge merged = c.edge("namespace:bookinfo->ratings");
        assertThat(merged.metrics().requestsPerSecond()).isEqualTo(40);
        assertThat(merged.metrics().successRate()).isCloseTo(0.9, within(1e-12));
        assertThat(merged.metrics().p50Ms()).isCloseTo(15, within(1e-12));
        assertThat(merged.metrics().p99Ms()).isCloseTo(50, within(1e-12));
        assertThat(merged.mtlsShare()).isCloseTo(0.75, within(1e-12));
        assertThat(merged.splitWeight()).isNull();
        // the untouched edge is kept as it was
        assertThat(c.edge("ratings->ratings-v1")).isEqualTo(g.edge("ratings->ratings-v1"));
    }

    @Test
    void collapsingBothNamespacesLeavesOneEdgeBetweenThem() {
        TopologyGraph c = NamespaceCollapse.collapse(Fixtures.bookinfo(), Set.of("bookinfo", "data"));

        assertThat(c.nodeCount()).isEqualTo(3);
        assertThat(c.edges()).extracting(GraphEdge::id)
                .containsExactly("ingress->namespace:bookinfo", "namespace:bookinfo->namespace:data");
        assertThat(c.edge("namespace:bookinfo->namespace:data").metrics().requestsPerSecond()).isEqualTo(66);
    }

    @Test
    void ignoresNamespacesTheGraphDoesNotHave() {
        TopologyGraph g = Fixtures.bookinfo();
        assertThat(NamespaceCollapse.collapse(g, Set.of("gone"))).isSameAs(g);
    }
}
