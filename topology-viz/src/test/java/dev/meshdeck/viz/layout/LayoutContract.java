package dev.meshdeck.viz.layout;

import dev.meshdeck.viz.Fixtures;
import dev.meshdeck.viz.io.SyntheticTopology;
import dev.meshdeck.viz.model.GraphEdge;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.NamespaceCollapse;
import dev.meshdeck.viz.model.Protocol;
import dev.meshdeck.viz.model.TopologyGraph;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link LayoutAlgorithm} promises; each algorithm's test class extends this. */
abstract class LayoutContract {

    abstract LayoutAlgorithm algorithm();

    static TopologyGraph mesh() {
        return SyntheticTopology.generate(120, 3, 7);
    }

    @Test
    void isDeterministic() {
        TopologyGraph g = mesh();
        assertThat(algorithm().layout(g, Layout.EMPTY)).isEqualTo(algorithm().layout(g, Layout.EMPTY));
        assertThat(algorithm().layout(g, Layout.EMPTY).positions().keySet())
                .containsExactlyElementsOf(g.nodes().stream().map(GraphNode::id).toList());
    }

    @Test
    void addingOneNodeMovesNoExistingNode() {
        TopologyGraph g = mesh();
        Layout before = algorithm().layout(g, Layout.EMPTY);
        GraphNode caller = g.nodes().stream().filter(n -> n.service() != null).skip(5).findFirst().orElseThrow();
        TopologyGraph bigger = withNewService(g, caller.id(), "added");

        Layout after = algorithm().layout(bigger, before);

        before.positions().forEach((id, p) -> assertThat(after.position(id)).as(id).isEqualTo(p));
        assertThat(after.contains("catalog/added")).isTrue();
        assertThat(after.contains("catalog/added-v1")).isTrue();
    }

    @Test
    void placesANewServiceWhereItOverlapsNoNode() {
        TopologyGraph g = mesh();
        Layout before = algorithm().layout(g, Layout.EMPTY);
        TopologyGraph bigger = withNewService(g, "ingress", "added");

        Layout after = algorithm().layout(bigger, before);

        Rect added = Rect.centeredAt(after.position("catalog/added"), NodeSizing.DEFAULT.sizeOf(bigger.node("catalog/added")));
        for (GraphNode n : g.nodes()) {
            assertThat(Rect.centeredAt(after.position(n.id()), NodeSizing.DEFAULT.sizeOf(n)).intersects(added))
                    .as("overlaps %s", n.id()).isFalse();
        }
    }

    @Test
    void removingOneNodeMovesNone() {
        TopologyGraph g = mesh();
        Layout before = algorithm().layout(g, Layout.EMPTY);
        String gone = g.nodes().stream().filter(n -> n.service() != null).skip(3).findFirst().orElseThrow().id();
        TopologyGraph smaller = TopologyGraph.of(
                g.nodes().stream().filter(n -> !n.id().equals(gone)).toList(),
                g.edges().stream().filter(e -> !e.source().equals(gone) && !e.target().equals(gone)).toList());

        Layout after = algorithm().layout(smaller, before);

        assertThat(after.contains(gone)).isFalse();
        after.positions().forEach((id, p) -> assertThat(p).as(id).isEqualTo(before.position(id)));
    }

    @Test
    void newVersionOfAPlacedServiceGoesUnderItsSiblings() {
        TopologyGraph g = Fixtures.bookinfo();
        Layout before = algorithm().layout(g, Layout.EMPTY);
        List<GraphNode> nodes = new ArrayList<>(g.nodes());
        nodes.add(GraphNode.workload("reviews-v4", "bookinfo", "reviews", "v4"));
        List<GraphEdge> edges = new ArrayList<>(g.edges());
        edges.add(Fixtures.split("reviews", "reviews-v4", 1, 0));

        Layout after = algorithm().layout(TopologyGraph.of(nodes, edges), before);

        assertThat(after.position("reviews-v4").x()).isEqualTo(before.position("reviews-v3").x());
        assertThat(after.position("reviews-v4").y()).isGreaterThan(before.position("reviews-v3").y());
    }

    @Test
    void pinnedNodesStayThroughAFreshLayout() {
        TopologyGraph g = mesh();
        String id = g.nodeAt(10).id();
        Layout pinned = algorithm().layout(g, Layout.EMPTY).pin(id, new Point(-5000, 1234.5));

        Layout fresh = algorithm().layout(g, pinned.retainPinned());

        assertThat(fresh.position(id)).isEqualTo(new Point(-5000, 1234.5));
        assertThat(fresh.pinned()).containsExactly(id);
        assertThat(fresh.size()).isEqualTo(g.nodeCount());
    }

    @Test
    void laysOutTheEmptyGraphAndALoneNode() {
        assertThat(algorithm().layout(TopologyGraph.EMPTY, Layout.EMPTY)).isEqualTo(Layout.EMPTY);
        TopologyGraph one = TopologyGraph.builder().node(GraphNode.external("x")).build();
        assertThat(algorithm().layout(one, Layout.EMPTY).size()).isEqualTo(1);
    }

    @Test
    void laysOutACollapsedGraphAndThenItsExpansionWithoutMovingWhatStayed() {
        TopologyGraph g = mesh();
        Set<String> collapsed = Set.of(g.namespaces().get(0), g.namespaces().get(1));
        TopologyGraph small = NamespaceCollapse.collapse(g, collapsed);
        Layout smallLayout = algorithm().layout(small, Layout.EMPTY);
        assertThat(smallLayout.size()).isEqualTo(small.nodeCount());

        Layout expanded = algorithm().layout(g, smallLayout);

        assertThat(expanded.size()).isEqualTo(g.nodeCount());
        for (GraphNode n : small.nodes()) {
            if (g.containsNode(n.id())) {
                assertThat(expanded.position(n.id())).as(n.id()).isEqualTo(smallLayout.position(n.id()));
            }
        }
    }

    static TopologyGraph withNewService(TopologyGraph g, String callerId, String name) {
        List<GraphNode> nodes = new ArrayList<>(g.nodes());
        List<GraphEdge> edges = new ArrayList<>(g.edges());
        String id = "catalog/" + name;
        nodes.add(GraphNode.service(id, "catalog"));
        nodes.add(GraphNode.workload(id + "-v1", "catalog", id, "v1"));
        edges.add(GraphEdge.of(id, id + "-v1", Protocol.HTTP).withSplitWeight(100.0));
        edges.add(GraphEdge.of(callerId, id, Protocol.GRPC));
        return TopologyGraph.of(nodes, edges);
    }
}
