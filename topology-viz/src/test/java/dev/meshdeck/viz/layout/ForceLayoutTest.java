package dev.meshdeck.viz.layout;

import dev.meshdeck.viz.model.TopologyGraph;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ForceLayoutTest extends LayoutContract {

    @Override
    LayoutAlgorithm algorithm() {
        return new ForceLayout();
    }

    @Test
    void differentSeedsGiveDifferentLayouts() {
        TopologyGraph g = mesh();
        Layout a = new ForceLayout(NodeSizing.DEFAULT, new ForceLayout.Options(50, 1, 200)).layout(g, Layout.EMPTY);
        Layout b = new ForceLayout(NodeSizing.DEFAULT, new ForceLayout.Options(50, 2, 200)).layout(g, Layout.EMPTY);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void pullsCallersTowardsWhatTheyCall() {
        TopologyGraph g = mesh();
        Layout layout = algorithm().layout(g, Layout.EMPTY);
        double edgeSum = 0;
        for (var e : g.edges()) {
            edgeSum += layout.position(e.source()).distanceTo(layout.position(e.target()));
        }
        double pairSum = 0;
        int pairs = 0;
        for (int i = 0; i + 7 < g.nodeCount(); i += 3) {
            pairSum += layout.position(g.nodeAt(i).id()).distanceTo(layout.position(g.nodeAt(i + 7).id()));
            pairs++;
        }
        assertThat(edgeSum / g.edgeCount()).isLessThan(pairSum / pairs);
    }
}
