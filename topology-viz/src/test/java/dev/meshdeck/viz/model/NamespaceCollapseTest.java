package dev.meshdeck.viz.model;

import dev.meshdeck.viz.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class NamespaceCollapseTest {

    @Test
    void replacesACollapsedNamespaceByOneNodeCountingItsServicesWithAllBadges() {
        TopologyGraph g = Fixtures.bookinfo();
        g = g.withNodeUpdates(List.of(g.node("reviews-v3").withHealth(Health.DEGRADED),
                g.node("details").withBadges(Set.of(Badge.FAULT_INJECTED))));

        TopologyGraph c = NamespaceCollapse.collapse(g, Set.of("bookinfo"));

        assertThat(c.nodes()).extracting(GraphNode::id)
                .containsExactly("ingress", "namespace:bookinfo", "ratings", "ratings-v1");
        GraphNode ns = c.node("namespace:bookinfo");
        assertThat(ns.kind()).isEqualTo(NodeKind.NAMESPACE);
        assertThat(ns.label()).isEqualTo("bookinfo\n3 services, 1 unhealthy");
        // the services have no health of their own: reviews counts as its worst version, the others as unknown
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
    void oneFailingServiceOfTwentyCountsInTheLabelButDoesNotTurnItsNamespaceRed() {
        TopologyGraph c = NamespaceCollapse.collapse(namespace(20, 1, 0, 0), Set.of("shop"));

        GraphNode ns = c.node("namespace:shop");
        assertThat(ns.health()).isEqualTo(Health.HEALTHY);
        assertThat(ns.label()).isEqualTo("shop\n20 services, 1 unhealthy");
    }

    @Test
    void aFifthOfTheServicesFailingMakesTheNamespaceFailing() {
        assertThat(NamespaceCollapse.collapse(namespace(20, 4, 0, 0), Set.of("shop")).node("namespace:shop").health())
                .isEqualTo(Health.FAILING);
        assertThat(NamespaceCollapse.collapse(namespace(20, 3, 0, 0), Set.of("shop")).node("namespace:shop").health())
                .isEqualTo(Health.DEGRADED);
    }

    @Test
    void degradedAndFailingServicesTogetherMakeTheNamespaceDegradedFromFifteenPercent() {
        assertThat(NamespaceCollapse.collapse(namespace(20, 1, 2, 0), Set.of("shop")).node("namespace:shop").health())
                .isEqualTo(Health.DEGRADED);
        assertThat(NamespaceCollapse.collapse(namespace(20, 0, 2, 0), Set.of("shop")).node("namespace:shop").health())
                .isEqualTo(Health.HEALTHY);
    }

    @Test
    void idleServicesAreNotJudged() {
        // 2 failing of 10 judged: a fifth, however many idle services there are besides
        TopologyGraph c = NamespaceCollapse.collapse(namespace(30, 2, 0, 20), Set.of("shop"));
        assertThat(c.node("namespace:shop").health()).isEqualTo(Health.FAILING);
        assertThat(c.node("namespace:shop").label()).isEqualTo("shop\n30 services, 2 unhealthy");
    }

    @Test
    void aServiceCountsOnceWithItsVersionsAndWithItsOwnHealth() {
        TopologyGraph g = TopologyGraph.builder()
                .node(GraphNode.service("a", "shop").withHealth(Health.HEALTHY))
                .node(GraphNode.workload("a-v1", "shop", "a", "v1").withHealth(Health.FAILING))
                .node(GraphNode.workload("a-v2", "shop", "a", "v2").withHealth(Health.HEALTHY))
                .node(GraphNode.workload("lone", "shop", null, null).withHealth(Health.HEALTHY))
                .build();

        GraphNode ns = NamespaceCollapse.collapse(g, Set.of("shop")).node("namespace:shop");

        assertThat(ns.label()).isEqualTo("shop\n2 services");
        assertThat(ns.health()).isEqualTo(Health.HEALTHY);
    }

    @Test
    void namespaceHealthFollowsTheSharesOfJudgedServices() {
        CollapseRules rules = CollapseRules.DEFAULT;
        assertThat(rules.namespaceHealth(0, 0, 0, 0)).isEqualTo(Health.UNKNOWN);
        assertThat(rules.namespaceHealth(0, 0, 0, 3)).isEqualTo(Health.IDLE);
        assertThat(rules.namespaceHealth(1, 0, 4, 0)).isEqualTo(Health.FAILING); // 1 of 5 is 20 %
        assertThat(rules.namespaceHealth(1, 0, 5, 0)).isEqualTo(Health.DEGRADED);
        assertThat(rules.namespaceHealth(0, 3, 17, 0)).isEqualTo(Health.DEGRADED);
        assertThat(rules.namespaceHealth(0, 2, 18, 9)).isEqualTo(Health.HEALTHY);
    }

    @Test
    void rejectsRulesOutsideTheirRange() {
        assertThatThrownBy(() -> new CollapseRules(0, 0.2, 3, 0.2)).hasMessageContaining("degradedShare: 0.0");
        assertThatThrownBy(() -> new CollapseRules(0.1, 1.5, 3, 0.2)).hasMessageContaining("failingShare: 1.5");
        assertThatThrownBy(() -> new CollapseRules(0.1, 0.2, -1, 0.2)).hasMessageContaining("busiestEdgesPerNode");
        assertThatThrownBy(() -> new CollapseRules(0.1, 0.2, 3, 0)).hasMessageContaining("failingEdgeErrorRate");
    }

    @Test
    void keepsTheBusiestMergedEdgesOfEachNodeAndEveryFailingOneAndLeavesTheQuietOnesOut() {
        // with 2 kept per node and direction: src's two busiest calls stay (a, b); its quiet call to hub goes,
        // as hub has two busier callers (x, y); of its failing calls, the one to c loses most of src's and
        // stays; the one to d goes, as d has two busier callers and w loses more into d (w->d stays).
        TopologyGraph.Builder b = TopologyGraph.builder();
        for (String ns : List.of("src", "a", "b", "c", "d", "hub", "w", "x", "y", "z")) {
            b.node(GraphNode.service(ns + "-svc", ns));
        }
        b.edge(Fixtures.call("src-svc", "a-svc", 50));
        b.edge(Fixtures.call("src-svc", "b-svc", 40));
        b.edge(Fixtures.call("src-svc", "hub-svc", 1));
        b.edge(Fixtures.call("x-svc", "hub-svc", 30));
        b.edge(Fixtures.call("y-svc", "hub-svc", 20));
        b.edge(failing("src-svc", "c-svc", 0.5));
        b.edge(failing("src-svc", "d-svc", 0.4));
        b.edge(Fixtures.call("z-svc", "d-svc", 9));
        b.edge(Fixtures.call("y-svc", "d-svc", 8));
        b.edge(failing("w-svc", "d-svc", 5));
        TopologyGraph g = b.build();
        CollapseRules two = new CollapseRules(0.15, 0.2, 2, 0.2);

        TopologyGraph c = NamespaceCollapse.collapse(g, Set.copyOf(g.namespaces()), two);

        assertThat(c.edges()).extracting(GraphEdge::id).containsExactly(
                "namespace:src->namespace:a", "namespace:src->namespace:b", "namespace:x->namespace:hub",
                "namespace:y->namespace:hub", "namespace:src->namespace:c", "namespace:z->namespace:d",
                "namespace:y->namespace:d", "namespace:w->namespace:d");
        assertThat(NamespaceCollapse.collapse(g, Set.copyOf(g.namespaces()), CollapseRules.KEEP_ALL_EDGES)
                .edgeCount()).isEqualTo(10);
    }

    private static GraphEdge failing(String source, String target, double rps) {
        return GraphEdge.of(source, target, Protocol.HTTP).withMetrics(new EdgeMetrics(rps, 0.5, 5, 10, 20));
    }

    /** Namespace "shop" of {@code services} services: {@code failing} failing, {@code degraded} degraded,
     *  {@code idle} idle, the rest healthy; and one caller outside it. */
    private static TopologyGraph namespace(int services, int failing, int degraded, int idle) {
        TopologyGraph.Builder b = TopologyGraph.builder().node(GraphNode.external("ingress"));
        for (int i = 0; i < services; i++) {
            Health h = i < failing ? Health.FAILING : i < failing + degraded ? Health.DEGRADED
                    : i < failing + degraded + idle ? Health.IDLE : Health.HEALTHY;
            b.node(GraphNode.service("s" + i, "shop").withHealth(h));
            b.edge(Fixtures.call("ingress", "s" + i, 10));
        }
        return b.build();
    }

    @Test
    void ignoresNamespacesTheGraphDoesNotHave() {
        TopologyGraph g = Fixtures.bookinfo();
        assertThat(NamespaceCollapse.collapse(g, Set.of("gone"))).isSameAs(g);
    }
}
