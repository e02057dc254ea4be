package dev.meshdeck.viz.model;

import dev.meshdeck.viz.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyGraphTest {

    @Test
    void looksUpNodesEdgesAndGroups() {
        TopologyGraph g = Fixtures.bookinfo();

        assertThat(g.node("reviews-v2").version()).isEqualTo("v2");
        assertThat(g.workloadsOf("reviews")).extracting(GraphNode::id)
                .containsExactly("reviews-v1", "reviews-v2", "reviews-v3");
        assertThat(g.namespaces()).containsExactly("bookinfo", "data");
        assertThat(g.nodesIn("data")).extracting(GraphNode::id).containsExactly("ratings", "ratings-v1");
        assertThat(g.outgoing("productpage-v1")).extracting(GraphEdge::target).containsExactly("details", "reviews");
        assertThat(g.incoming("ratings")).extracting(GraphEdge::source).containsExactly("reviews-v2", "reviews-v3");
        assertThat(g.parentIndex(g.indexOf("reviews-v1"))).isEqualTo(g.indexOf("reviews"));
        assertThat(g.findNode("nope")).isEmpty();
    }

    @Test
    void replacesMetricsAndKeepsTheStructure() {
        TopologyGraph g = Fixtures.bookinfo();
        EdgeMetrics m = new EdgeMetrics(7, 0.5, 1, 2, 3);

        TopologyGraph updated = g.withMetrics(Map.of("reviews->reviews-v1", m));

        assertThat(updated.edge("reviews->reviews-v1").metrics()).isEqualTo(m);
        assertThat(g.edge("reviews->reviews-v1").metrics()).isNotEqualTo(m);
        assertThat(updated.sameStructureAs(g)).isTrue();
        assertThat(updated.outgoing("reviews")).hasSize(3);
        assertThat(updated).isNotEqualTo(g);
    }

    @Test
    void replacesNodeStatusButNotStructure() {
        TopologyGraph g = Fixtures.bookinfo();
        TopologyGraph updated = g.withNodeUpdates(List.of(g.node("ratings").withHealth(Health.FAILING)
                .withBadges(Set.of(Badge.CIRCUIT_OPEN))));

        assertThat(updated.node("ratings").health()).isEqualTo(Health.FAILING);
        assertThat(updated.node("ratings").badges()).containsExactly(Badge.CIRCUIT_OPEN);
        assertThatThrownBy(() -> g.withNodeUpdates(List.of(GraphNode.service("ratings", "other"))))
                .hasMessageContaining("ratings").hasMessageContaining("namespace");
    }

    @Test
    void rejectsMetricsForUnknownEdge() {
        assertThatThrownBy(() -> Fixtures.bookinfo().withMetrics(Map.of("a->b", EdgeMetrics.NONE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a->b'");
    }

    @Test
    void rejectsEdgeToUnknownNode() {
        assertThatThrownBy(() -> TopologyGraph.builder().node(GraphNode.service("a", "ns"))
                .edge(GraphEdge.of("a", "ghost", Protocol.HTTP)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("edge 'a->ghost': target 'ghost' is not a node of the graph");
    }

    @Test
    void rejectsDuplicateNodeId() {
        assertThatThrownBy(() -> TopologyGraph.builder().node(GraphNode.service("a", "ns"))
                .node(GraphNode.external("a")).build())
                .hasMessage("node 'a': duplicate id");
    }

    @Test
    void rejectsDuplicateEdgeId() {
        assertThatThrownBy(() -> TopologyGraph.builder().node(GraphNode.service("a", "ns"))
                .node(GraphNode.service("b", "ns"))
                .edge(GraphEdge.of("a", "b", Protocol.HTTP)).edge(GraphEdge.of("a", "b", Protocol.GRPC)).build())
                .hasMessage("edge 'a->b': duplicate id");
    }

    @Test
    void rejectsWorkloadOfUnknownOrWrongService() {
        assertThatThrownBy(() -> TopologyGraph.builder()
                .node(GraphNode.workload("w", "ns", "svc", "v1")).build())
                .hasMessageContaining("node 'w': service 'svc' is not a node");
        assertThatThrownBy(() -> TopologyGraph.builder().node(GraphNode.external("svc"))
                .node(GraphNode.workload("w", "ns", "svc", "v1")).build())
                .hasMessageContaining("is a EXTERNAL node (expected: a SERVICE node)");
        assertThatThrownBy(() -> TopologyGraph.builder().node(GraphNode.service("svc", "a"))
                .node(GraphNode.workload("w", "b", "svc", "v1")).build())
                .hasMessageContaining("namespace 'b' differs from its service's 'a'");
    }

    @Test
    void rejectsSuccessRateOutsideZeroToOne() {
        assertThatThrownBy(() -> new EdgeMetrics(1, 1.2, 1, 2, 3))
                .hasMessage("successRate: 1.2 (expected: 0..1)");
        assertThatThrownBy(() -> new EdgeMetrics(1, Double.NaN, 1, 2, 3))
                .hasMessageContaining("successRate: NaN");
    }

    @Test
    void rejectsBadMetricsAndEdgeShares() {
        assertThatThrownBy(() -> new EdgeMetrics(-1, 1, 1, 2, 3)).hasMessageContaining("requestsPerSecond: -1.0");
        assertThatThrownBy(() -> new EdgeMetrics(1, 1, 5, 2, 3)).hasMessageContaining("p50 <= p90 <= p99");
        assertThatThrownBy(() -> GraphEdge.of("a", "b", Protocol.TCP).withMtlsShare(1.5))
                .hasMessageContaining("mtlsShare 1.5 (expected: 0..1)");
        assertThatThrownBy(() -> GraphEdge.of("a", "b", Protocol.TCP).withSplitWeight(120.0))
                .hasMessageContaining("splitWeight 120.0 (expected: 0..100 percent");
    }

    @Test
    void rejectsNodesWithoutNamespaceOrWithMisplacedGrouping() {
        assertThatThrownBy(() -> GraphNode.service("a", " ")).hasMessageContaining("node 'a': namespace missing");
        assertThatThrownBy(() -> new GraphNode("s", NodeKind.SERVICE, null, "ns", "x", null, null, null, null))
                .hasMessageContaining("only WORKLOAD nodes belong to a service");
        assertThatThrownBy(() -> GraphNode.service("", "ns")).hasMessageContaining("node id");
    }
}
