package dev.meshdeck.viz.model;

import dev.meshdeck.viz.Fixtures;
import dev.meshdeck.viz.io.SyntheticTopology;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
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
    void collapsesExternalHostsIntoOneGroupWithSummedAndWeightedEdges() {
        TopologyGraph g = egressMesh();

        TopologyGraph c = NamespaceCollapse.collapse(g, Set.of(NamespaceCollapse.EXTERNAL));

        String group = NamespaceCollapse.nodeId(NamespaceCollapse.EXTERNAL);
        assertThat(c.nodes()).extracting(GraphNode::id).containsExactly("ingress", "pay", "mail", group);
        GraphNode hosts = c.node(group);
        assertThat(hosts.kind()).isEqualTo(NodeKind.NAMESPACE);
        assertThat(hosts.label()).isEqualTo("external\n3 hosts, 1 unhealthy");
        // 1 failing host of 3 judged is at least 20 %: the same rules as a namespace's
        assertThat(hosts.health()).isEqualTo(Health.FAILING);
        assertThat(hosts.mtls()).isEqualTo(MtlsState.PLAINTEXT);
        GraphEdge fromPay = c.edge("pay->" + group);
        assertThat(fromPay.metrics().requestsPerSecond()).isEqualTo(40);
        assertThat(fromPay.metrics().successRate()).isCloseTo((30 * 1.0 + 10 * 0.6) / 40, within(1e-12));
        assertThat(fromPay.metrics().p50Ms()).isCloseTo((30 * 10 + 10 * 30) / 40.0, within(1e-12));
        assertThat(c.edge("mail->" + group).metrics().requestsPerSecond()).isEqualTo(5);
        assertThat(c.outgoing(group)).isEmpty();
    }

    @Test
    void keepsTheIngressGatewayItsOwnNodeWhenTheExternalHostsCollapse() {
        TopologyGraph g = egressMesh();

        TopologyGraph c = NamespaceCollapse.collapse(g, Set.copyOf(NamespaceCollapse.groups(g)));

        // the ingress calls into the mesh, so it is no host the mesh calls: it stays, with its edge merged
        assertThat(c.node("ingress").kind()).isEqualTo(NodeKind.EXTERNAL);
        assertThat(c.node("ingress").label()).isEqualTo("ingress gateway");
        assertThat(c.edges()).extracting(GraphEdge::id).containsExactly("ingress->namespace:shop",
                "namespace:shop->namespace:external hosts");
    }

    @Test
    void listsTheNamespacesThenTheExternalGroupAsWhatCanCollapse() {
        assertThat(NamespaceCollapse.groups(egressMesh())).containsExactly("shop", NamespaceCollapse.EXTERNAL);
        // bookinfo's only external node is its ingress, which calls into the mesh: no group of hosts
        assertThat(NamespaceCollapse.groups(Fixtures.bookinfo())).containsExactly("bookinfo", "data");
    }

    @Test
    void leavesOneEdgePerGroupPairAndDirection() {
        TopologyGraph g = SyntheticTopology.generate(2000, 3);

        TopologyGraph c = NamespaceCollapse.collapse(g, Set.copyOf(NamespaceCollapse.groups(g)),
                CollapseRules.KEEP_ALL_EDGES);

        Set<String> pairs = new HashSet<>();
        for (GraphEdge e : c.edges()) {
            assertThat(pairs.add(e.source() + " " + e.target())).as("second edge %s", e.id()).isTrue();
        }
        // both directions between two groups stay apart
        TopologyGraph.Builder b = TopologyGraph.builder()
                .node(GraphNode.service("a1", "a")).node(GraphNode.service("a2", "a"))
                .node(GraphNode.service("b1", "b")).node(GraphNode.service("b2", "b"));
        b.edge(Fixtures.call("a1", "b1", 1)).edge(Fixtures.call("a2", "b2", 2)).edge(Fixtures.call("b1", "a2", 3))
                .edge(Fixtures.call("b2", "a1", 4));
        TopologyGraph two = NamespaceCollapse.collapse(b.build(), Set.of("a", "b"));
        assertThat(two.edges()).extracting(GraphEdge::id)
                .containsExactly("namespace:a->namespace:b", "namespace:b->namespace:a");
        assertThat(two.edge("namespace:b->namespace:a").metrics().requestsPerSecond()).isEqualTo(7);
    }

    /**
     * The ingress gateway → shop/pay, shop/mail; pay calls api.stripe.com (30 rps, all fine) and
     * s3.amazonaws.com (10 rps, 60 % success), mail calls smtp.example (5 rps), which is failing.
     */
    private static TopologyGraph egressMesh() {
        TopologyGraph.Builder b = TopologyGraph.builder()
                .node(GraphNode.external("ingress").withLabel("ingress gateway").withHealth(Health.HEALTHY))
                .node(GraphNode.service("pay", "shop"))
                .node(GraphNode.service("mail", "shop"))
                .node(GraphNode.external("api.stripe.com").withHealth(Health.HEALTHY).withMtls(MtlsState.PLAINTEXT))
                .node(GraphNode.external("s3.amazonaws.com").withHealth(Health.HEALTHY).withMtls(MtlsState.PLAINTEXT))
                .node(GraphNode.external("smtp.example").withHealth(Health.FAILING).withMtls(MtlsState.PLAINTEXT));
        b.edge(Fixtures.call("ingress", "pay", 50));
        b.edge(Fixtures.call("ingress", "mail", 5));
        b.edge(GraphEdge.of("pay", "api.stripe.com", Protocol.HTTP).withMetrics(new EdgeMetrics(30, 1.0, 10, 20, 40)));
        b.edge(GraphEdge.of("pay", "s3.amazonaws.com", Protocol.HTTP).withMetrics(new EdgeMetrics(10, 0.6, 30, 40, 80)));
        b.edge(GraphEdge.of("mail", "smtp.example", Protocol.TCP).withMetrics(new EdgeMetrics(5, 0.2, 3, 4, 5)));
        return b.build();
    }

    @Test
    void ignoresNamespacesTheGraphDoesNotHave() {
        TopologyGraph g = Fixtures.bookinfo();
        assertThat(NamespaceCollapse.collapse(g, Set.of("gone"))).isSameAs(g);
    }
}
