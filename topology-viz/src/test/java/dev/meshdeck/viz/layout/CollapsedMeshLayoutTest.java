package dev.meshdeck.viz.layout;

import dev.meshdeck.viz.io.SyntheticTopology;
import dev.meshdeck.viz.model.GraphEdge;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.NamespaceCollapse;
import dev.meshdeck.viz.model.NodeKind;
import dev.meshdeck.viz.model.TopologyGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The layered layout of the 10 000-service synthetic mesh with every namespace and the external hosts collapsed. */
class CollapsedMeshLayoutTest {

    private static final NodeSizing SIZING = NodeSizing.DEFAULT;
    private static TopologyGraph full;
    private static Set<String> groups;
    private static TopologyGraph collapsed;
    private static Layout layout;

    @BeforeAll
    static void layOutTheCollapsedMesh() {
        full = SyntheticTopology.generate(10_000, 1);
        groups = new TreeSet<>(NamespaceCollapse.groups(full));
        collapsed = NamespaceCollapse.collapse(full, groups);
        layout = new LayeredLayout().layout(collapsed, Layout.EMPTY);
    }

    @Test
    void laysOutTheCollapsed10000MeshDeterministically() {
        TopologyGraph again = NamespaceCollapse.collapse(SyntheticTopology.generate(10_000, 1),
                new TreeSet<>(NamespaceCollapse.groups(full)));

        assertThat(new LayeredLayout().layout(again, Layout.EMPTY)).isEqualTo(layout);
        // 250 namespaces and the external hosts as 251 group nodes; the ingress gateway on its own
        assertThat(collapsed.nodes().stream().filter(n -> n.kind() == NodeKind.NAMESPACE)).hasSize(251);
        assertThat(collapsed.nodes().stream().filter(n -> n.kind() != NodeKind.NAMESPACE))
                .extracting(GraphNode::id).containsExactly("ingress");
    }

    @Test
    void readsLeftToRightWithTheGroupsOrderedInOneBand() {
        // the synthetic namespaces call each other without cycles, so every edge points right
        for (GraphEdge e : collapsed.edges()) {
            assertThat(layout.position(e.source()).x()).as(e.id()).isLessThan(layout.position(e.target()).x());
        }
        // one band for all groups: far less tall than 251 bands of one node each
        Rect bounds = layout.bounds(collapsed, SIZING);
        assertThat(bounds.height()).isLessThan(251 * SIZING.sizeOf(collapsed.node("namespace:checkout")).height() / 2);
        for (GraphNode a : collapsed.nodes()) {
            Rect ra = Rect.centeredAt(layout.position(a.id()), SIZING.sizeOf(a));
            for (GraphNode b : collapsed.nodes()) {
                if (a != b) {
                    assertThat(ra.intersects(Rect.centeredAt(layout.position(b.id()), SIZING.sizeOf(b))))
                            .as("%s overlaps %s", a.id(), b.id()).isFalse();
                }
            }
        }
    }

    @Test
    void expandingANamespaceMovesNoOtherGroup() {
        for (String ns : new String[] {"checkout", "frontend", "identity"}) {
            Set<String> rest = new TreeSet<>(groups);
            rest.remove(ns);
            TopologyGraph expanded = NamespaceCollapse.collapse(full, rest);

            Layout after = new LayeredLayout().layout(expanded, layout);

            for (GraphNode n : collapsed.nodes()) {
                if (!n.id().equals(NamespaceCollapse.nodeId(ns))) {
                    assertThat(after.position(n.id())).as(n.id()).isEqualTo(layout.position(n.id()));
                }
            }
            assertOpensClearOfTheOthers(expanded, after, ns, expanded.nodesIn(ns).size());
        }
    }

    @Test
    void expandingTheExternalHostsOpensThemAsOneGridWhereTheirGroupWas() {
        Set<String> rest = new TreeSet<>(groups);
        rest.remove(NamespaceCollapse.EXTERNAL);
        TopologyGraph expanded = NamespaceCollapse.collapse(full, rest);

        Layout after = new LayeredLayout().layout(expanded, layout);

        for (GraphNode n : collapsed.nodes()) {
            if (!n.id().equals(NamespaceCollapse.nodeId(NamespaceCollapse.EXTERNAL))) {
                assertThat(after.position(n.id())).as(n.id()).isEqualTo(layout.position(n.id()));
            }
        }
        long hosts = expanded.nodes().stream().filter(n -> n.kind() == NodeKind.EXTERNAL).count() - 1;
        assertThat(hosts).isEqualTo(400);
        Rect grid = assertOpensClearOfTheOthers(expanded, after, NamespaceCollapse.EXTERNAL, (int) hosts);
        // compact: about as wide as tall, not a column of 400 hosts
        assertThat(grid.height()).isLessThan(3 * grid.width());
        assertThat(grid.width()).isLessThan(3 * grid.height());
    }

    /**
     * Checks that the {@code count} nodes new in {@code after} form a box (with room for its namespace box)
     * that no node placed before overlaps, and that its centre is nearer to where the group's node was than the
     * box is large; returns the box.
     */
    private static Rect assertOpensClearOfTheOthers(TopologyGraph expanded, Layout after, String group, int count) {
        Rect box = null;
        int added = 0;
        for (GraphNode n : expanded.nodes()) {
            if (!layout.contains(n.id())) {
                Rect r = Rect.centeredAt(after.position(n.id()), SIZING.sizeOf(n));
                box = box == null ? r : box.union(r);
                added++;
            }
        }
        assertThat(added).isEqualTo(count);
        Rect drawn = box.grow(GroupBoxes.NAMESPACE_MARGIN);
        for (GraphNode n : collapsed.nodes()) {
            if (expanded.containsNode(n.id())) {
                assertThat(Rect.centeredAt(after.position(n.id()), SIZING.sizeOf(n)).intersects(drawn))
                        .as("%s inside the box of %s", n.id(), group).isFalse();
            }
        }
        Point anchor = layout.position(NamespaceCollapse.nodeId(group));
        double distance = Math.hypot(box.center().x() - anchor.x(), box.center().y() - anchor.y());
        assertThat(distance).as("distance of %s from its collapsed node", group)
                .isLessThan(box.width() + box.height());
        Map<String, Rect> namespaceBoxes = GroupBoxes.namespaces(expanded, after, SIZING);
        namespaceBoxes.forEach((ns, r) -> {
            if (!ns.equals(group)) {
                assertThat(r.intersects(drawn)).as("box of %s overlaps %s", ns, group).isFalse();
            }
        });
        return box;
    }
}
