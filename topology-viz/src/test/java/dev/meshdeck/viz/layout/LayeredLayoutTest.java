package dev.meshdeck.viz.layout;

import dev.meshdeck.viz.Fixtures;
import dev.meshdeck.viz.model.GraphEdge;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.NamespaceCollapse;
import dev.meshdeck.viz.model.Protocol;
import dev.meshdeck.viz.model.TopologyGraph;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LayeredLayoutTest extends LayoutContract {

    @Override
    LayoutAlgorithm algorithm() {
        return new LayeredLayout();
    }

    @Test
    void placesCallersLeftOfWhatTheyCall() {
        TopologyGraph g = mesh(); // the synthetic mesh calls only into deeper tiers: acyclic
        Layout layout = algorithm().layout(g, Layout.EMPTY);

        for (GraphEdge e : g.edges()) {
            if (e.splitWeight() == null) {
                assertThat(layout.position(e.source()).x()).as(e.id()).isLessThan(layout.position(e.target()).x());
            }
        }
    }

    @Test
    void keepsVersionsInsideTheirServiceBox() {
        TopologyGraph g = Fixtures.bookinfo();
        Layout layout = algorithm().layout(g, Layout.EMPTY);
        Rect box = GroupBoxes.services(g, layout, NodeSizing.DEFAULT).get("reviews");

        for (GraphNode v : g.workloadsOf("reviews")) {
            assertThat(layout.position(v.id()).x()).isEqualTo(layout.position("reviews").x());
            assertThat(layout.position(v.id()).y()).isGreaterThan(layout.position("reviews").y());
            assertThat(box.contains(layout.position(v.id()).x(), layout.position(v.id()).y())).isTrue();
        }
        assertThat(layout.position("ingress").x()).isLessThan(layout.position("productpage").x());
        assertThat(layout.position("reviews-v2").x()).isLessThan(layout.position("ratings").x());
    }

    @Test
    void overlapsNoNodeAndNoNamespaceBox() {
        TopologyGraph g = mesh();
        Layout layout = algorithm().layout(g, Layout.EMPTY);

        List<Rect> boxes = new ArrayList<>();
        for (GraphNode n : g.nodes()) {
            boxes.add(Rect.centeredAt(layout.position(n.id()), NodeSizing.DEFAULT.sizeOf(n)));
        }
        for (int i = 0; i < boxes.size(); i++) {
            for (int j = i + 1; j < boxes.size(); j++) {
                assertThat(boxes.get(i).intersects(boxes.get(j)))
                        .as("%s overlaps %s", g.nodeAt(i).id(), g.nodeAt(j).id()).isFalse();
            }
        }
        List<Map.Entry<String, Rect>> namespaces = new ArrayList<>(
                GroupBoxes.namespaces(g, layout, NodeSizing.DEFAULT).entrySet());
        assertThat(namespaces).hasSize(g.namespaces().size());
        for (int i = 0; i < namespaces.size(); i++) {
            for (int j = i + 1; j < namespaces.size(); j++) {
                assertThat(namespaces.get(i).getValue().intersects(namespaces.get(j).getValue()))
                        .as("%s overlaps %s", namespaces.get(i).getKey(), namespaces.get(j).getKey()).isFalse();
            }
        }
    }

    @Test
    void laysOutCyclesLeftToRightAfterBreakingThem() {
        TopologyGraph g = TopologyGraph.builder()
                .node(GraphNode.service("a", "ns")).node(GraphNode.service("b", "ns"))
                .node(GraphNode.service("c", "ns")).node(GraphNode.service("d", "ns"))
                .edge(GraphEdge.of("a", "b", Protocol.HTTP)).edge(GraphEdge.of("b", "c", Protocol.HTTP))
                .edge(GraphEdge.of("c", "a", Protocol.HTTP)).edge(GraphEdge.of("c", "d", Protocol.HTTP))
                .edge(GraphEdge.of("d", "d", Protocol.HTTP))
                .build();

        Layout layout = algorithm().layout(g, Layout.EMPTY);

        assertThat(layout.position("a").x()).isLessThan(layout.position("b").x());
        assertThat(layout.position("b").x()).isLessThan(layout.position("c").x());
        assertThat(layout.position("c").x()).isLessThan(layout.position("d").x());
        assertThat(layout).isEqualTo(algorithm().layout(g, Layout.EMPTY));
    }

    @Test
    void putsANewNamespaceBelowEverythingPlaced() {
        TopologyGraph g = Fixtures.bookinfo();
        Layout before = algorithm().layout(g, Layout.EMPTY);
        List<GraphNode> nodes = new ArrayList<>(g.nodes());
        nodes.add(GraphNode.service("audit", "zz-audit"));
        TopologyGraph bigger = TopologyGraph.of(nodes, g.edges());

        Layout after = algorithm().layout(bigger, before);

        Rect old = before.bounds(g, NodeSizing.DEFAULT);
        Rect added = Rect.centeredAt(after.position("audit"), NodeSizing.DEFAULT.sizeOf(bigger.node("audit")));
        assertThat(added.minY()).isGreaterThan(old.maxY());
    }

    @Test
    void expandsACollapsedNamespaceAsOneBoxInTheColumnOfItsNodeClearOfTheOthers() {
        TopologyGraph g = mesh();
        String ns = g.namespaces().get(0);
        TopologyGraph collapsed = NamespaceCollapse.collapse(g, Set.of(ns));
        Layout before = algorithm().layout(collapsed, Layout.EMPTY);

        Layout after = algorithm().layout(g, before);

        Map<String, Rect> boxes = GroupBoxes.namespaces(g, after, NodeSizing.DEFAULT);
        Rect expanded = boxes.get(ns);
        Point anchor = before.position(NamespaceCollapse.nodeId(ns));
        assertThat(expanded.center().x()).isCloseTo(anchor.x(), org.assertj.core.api.Assertions.within(1e-6));
        boxes.forEach((name, box) -> {
            if (!name.equals(ns)) {
                assertThat(box.intersects(expanded)).as("%s overlaps %s", name, ns).isFalse();
            }
        });
        for (GraphNode n : g.nodes()) {
            if (!ns.equals(n.namespace())) {
                assertThat(after.position(n.id())).isEqualTo(before.position(n.id()));
            }
        }
    }

    @Test
    void givesAFullyPlacedGraphItsPositionsBackInGraphOrderWithoutTheNodesThatLeft() {
        TopologyGraph g = mesh();
        Layout fresh = algorithm().layout(g, Layout.EMPTY);
        List<String> ids = new ArrayList<>(fresh.positions().keySet());
        java.util.Collections.reverse(ids);
        Map<String, Point> reversed = new java.util.LinkedHashMap<>();
        ids.forEach(id -> reversed.put(id, fresh.position(id)));
        reversed.put("namespace:gone", new Point(1, 2));

        Layout again = algorithm().layout(g, Layout.of(reversed));

        assertThat(again).isEqualTo(fresh);
        assertThat(again.positions().keySet()).containsExactlyElementsOf(fresh.positions().keySet());
    }
}
