package dev.meshdeck.console.viz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.viz.io.SyntheticTopology;
import dev.meshdeck.viz.layout.LayeredLayout;
import dev.meshdeck.viz.layout.Layout;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.NamespaceCollapse;
import dev.meshdeck.viz.model.NodeKind;
import dev.meshdeck.viz.model.TopologyGraph;
import dev.meshdeck.viz.render.FxPlatform;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The viewer's collapsed view on the headless JavaFX platform: what it collapses and how it expands. */
class TopologyViewerTest {

    @BeforeAll
    static void startJavaFx() {
        FxPlatform.startOnce();
    }

    @Test
    void collapsesEveryNamespaceAndTheExternalHostsKeepingTheIngress() {
        TopologyGraph mesh = SyntheticTopology.generate(400, 1);

        TopologyGraph shown = FxPlatform.call(() -> still(new TopologyViewer(mesh, Layout.EMPTY, new LayeredLayout(),
                true)).view().getGraph());

        assertThat(shown.nodes()).filteredOn(n -> n.kind() != NodeKind.NAMESPACE).extracting(GraphNode::id)
                .containsExactly("ingress");
        assertThat(shown.nodeCount()).isEqualTo(mesh.namespaces().size() + 2);
    }

    @Test
    void expandingANamespaceOpensItWhereItWasAndMovesNothingElse() {
        TopologyGraph mesh = SyntheticTopology.generate(400, 1);
        String ns = "checkout";

        Layout[] layouts = FxPlatform.call(() -> {
            TopologyViewer viewer = still(new TopologyViewer(mesh, Layout.EMPTY, new LayeredLayout(), true));
            Layout before = viewer.view().getLayout();
            viewer.expand(ns);
            assertThat(viewer.collapsedGroups()).doesNotContain(ns).contains(NamespaceCollapse.EXTERNAL);
            return new Layout[] {before, viewer.view().getLayout()};
        });

        Layout before = layouts[0];
        Layout after = layouts[1];
        before.positions().forEach((id, p) -> {
            if (!id.equals(NamespaceCollapse.nodeId(ns))) {
                assertThat(after.position(id)).as(id).isEqualTo(p);
            }
        });
        // laid out against the whole layout shown, collapsed node included, so it opens where that node was
        Set<String> rest = new TreeSet<>(NamespaceCollapse.groups(mesh));
        rest.remove(ns);
        TopologyGraph expanded = NamespaceCollapse.collapse(mesh, rest);
        assertThat(after).isEqualTo(new LayeredLayout().layout(expanded, before));
        assertThat(after).isNotEqualTo(new LayeredLayout().layout(expanded, before.restrictTo(expanded)));
    }

    /**
     * The viewer without traffic dots: moving dots keep the view's animation timer drawing on every pulse for
     * as long as the JVM lives, which would take the core from the tests that run after this one.
     */
    private static TopologyViewer still(TopologyViewer viewer) {
        viewer.view().setOptions(viewer.view().getOptions().withTrafficDots(false));
        return viewer;
    }
}
