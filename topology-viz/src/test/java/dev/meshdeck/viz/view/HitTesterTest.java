package dev.meshdeck.viz.view;

import dev.meshdeck.viz.Fixtures;
import dev.meshdeck.viz.io.SyntheticTopology;
import dev.meshdeck.viz.layout.LayeredLayout;
import dev.meshdeck.viz.layout.Layout;
import dev.meshdeck.viz.layout.NodeSizing;
import dev.meshdeck.viz.layout.Point;
import dev.meshdeck.viz.layout.Rect;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.TopologyGraph;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class HitTesterTest {

    private static SceneModel bookinfo() {
        TopologyGraph g = Fixtures.bookinfo();
        return new SceneModel(g, new LayeredLayout().layout(g, Layout.EMPTY), NodeSizing.DEFAULT);
    }

    @Test
    void findsTheNodeUnderAPoint() {
        SceneModel scene = bookinfo();
        TopologyGraph g = scene.graph();
        for (GraphNode n : g.nodes()) {
            Rect box = scene.nodeBox(g.indexOf(n.id()));
            assertThat(scene.hitTester().nodeAt(box.center().x(), box.center().y())).as(n.id()).isEqualTo(g.indexOf(n.id()));
            assertThat(scene.hitTester().nodeAt(box.minX() + 1, box.maxY() - 1)).as(n.id()).isEqualTo(g.indexOf(n.id()));
        }
    }

    @Test
    void findsNothingBesideTheNodes() {
        SceneModel scene = bookinfo();
        Rect bounds = scene.bounds();
        assertThat(scene.hitTester().nodeAt(bounds.minX() - 50, bounds.minY() - 50)).isEqualTo(-1);
        Rect ratings = scene.nodeBox(scene.graph().indexOf("ratings"));
        assertThat(scene.hitTester().nodeAt(ratings.maxX() + 3, ratings.center().y())).isEqualTo(-1);
    }

    @Test
    void findsTheEdgeNearAPointAndNotOneFarAway() {
        TopologyGraph g = TopologyGraph.builder()
                .node(GraphNode.service("a", "ns")).node(GraphNode.service("b", "ns")).node(GraphNode.service("c", "ns"))
                .edge(Fixtures.call("a", "b", 1)).edge(Fixtures.call("a", "c", 1)).build();
        Layout layout = Layout.of(Map.of("a", new Point(0, 0), "b", new Point(1000, 0), "c", new Point(0, 800)));
        SceneModel scene = new SceneModel(g, layout, NodeSizing.DEFAULT);
        HitTester hits = scene.hitTester();
        assertThat(hits.edgeNear(500, 3, 5)).isEqualTo(g.edgeIndexOf("a->b"));
        assertThat(hits.edgeNear(-2, 400, 5)).isEqualTo(g.edgeIndexOf("a->c"));
        assertThat(hits.edgeNear(500, 30, 5)).isEqualTo(-1);
        assertThat(hits.edgeNear(500, 400, 5)).isEqualTo(-1);
    }

    @Test
    void agreesWithABruteForceSearchOnAThousandNodes() {
        TopologyGraph g = SyntheticTopology.generate(417, 5, 1);
        SceneModel scene = new SceneModel(g, new LayeredLayout().layout(g, Layout.EMPTY), NodeSizing.DEFAULT);
        Rect b = scene.bounds();
        SplittableRandom random = new SplittableRandom(7);
        int nodeHits = 0;
        int edgeHits = 0;
        for (int k = 0; k < 2000; k++) {
            double x = b.minX() + random.nextDouble() * b.width();
            double y = b.minY() + random.nextDouble() * b.height();
            int expectedNode = -1;
            for (int i = 0; i < g.nodeCount(); i++) {
                if (scene.nodeBox(i).contains(x, y)) {
                    expectedNode = i;
                }
            }
            assertThat(scene.hitTester().nodeAt(x, y)).isEqualTo(expectedNode);
            nodeHits += expectedNode >= 0 ? 1 : 0;
            int expectedEdge = -1;
            double best = 6;
            for (int e = 0; e < g.edgeCount(); e++) {
                if (!scene.isLine(e)) {
                    continue;
                }
                double d = HitTester.distanceToSegment(x, y, scene.edgeLine[4 * e], scene.edgeLine[4 * e + 1],
                        scene.edgeLine[4 * e + 2], scene.edgeLine[4 * e + 3]);
                if (d <= best) {
                    best = d;
                    expectedEdge = e;
                }
            }
            int found = scene.hitTester().edgeNear(x, y, 6);
            if (expectedEdge < 0) {
                assertThat(found).isEqualTo(-1);
            } else {
                assertThat(found).isGreaterThanOrEqualTo(0);
                edgeHits++;
            }
        }
        assertThat(nodeHits).isGreaterThan(20);
        assertThat(edgeHits).isGreaterThan(20);
    }

    @Test
    void findsASplitHandleOnTheServiceNode() {
        SceneModel scene = bookinfo();
        SplitBar bar = scene.splitBarOf("reviews");
        HitTester.HandleHit hit = scene.hitTester().handleAt(bar.handleX(1) + 1, bar.bar().center().y());
        assertThat(hit).isNotNull();
        assertThat(hit.bar().serviceId()).isEqualTo("reviews");
        assertThat(hit.handle()).isEqualTo(1);
        assertThat(scene.hitTester().handleAt(bar.bar().minX() + 2, bar.bar().center().y())).isNull();
    }
}
