package dev.meshdeck.viz.render;

import dev.meshdeck.viz.Fixtures;
import dev.meshdeck.viz.layout.Layout;
import dev.meshdeck.viz.layout.NodeSizing;
import dev.meshdeck.viz.layout.Point;
import dev.meshdeck.viz.layout.Rect;
import dev.meshdeck.viz.model.Badge;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.Health;
import dev.meshdeck.viz.model.MtlsState;
import dev.meshdeck.viz.model.TopologyGraph;
import dev.meshdeck.viz.view.SceneModel;
import dev.meshdeck.viz.view.Styling;
import dev.meshdeck.viz.view.ViewOptions;
import dev.meshdeck.viz.view.ViewState;
import dev.meshdeck.viz.view.Viewport;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.WritableImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Renders small models to images and checks the pixels where the layout puts things. */
@ExtendWith(ApplicationExtension.class)
class RenderingTest {

    /** Three nodes in a row at scale 1: a healthy mTLS service, a failing plaintext one, a degraded mixed one. */
    private static TopologyGraph threeServices() {
        return TopologyGraph.builder()
                .node(GraphNode.service("a", "ns").withHealth(Health.HEALTHY).withMtls(MtlsState.MTLS))
                .node(GraphNode.service("b", "ns").withHealth(Health.FAILING).withMtls(MtlsState.PLAINTEXT)
                        .withBadges(List.of(Badge.CIRCUIT_OPEN)))
                .node(GraphNode.service("c", "ns").withHealth(Health.DEGRADED).withMtls(MtlsState.MIXED))
                .edge(Fixtures.call("a", "b", 50))
                .edge(Fixtures.call("b", "c", 5))
                .build();
    }

    private static final Layout ROW = Layout.of(Map.of("a", new Point(150, 100), "b", new Point(400, 100),
            "c", new Point(650, 100)));

    private static WritableImage render(SceneModel scene, double width, double height) {
        return Fx.call(() -> {
            Canvas canvas = new Canvas(width, height);
            TopologyCanvasRenderer r = new TopologyCanvasRenderer(canvas);
            r.render(scene, ViewState.NONE, ViewOptions.DEFAULT.withTrafficDots(false), Viewport.IDENTITY, 0);
            WritableImage image = r.snapshot();
            String dump = System.getProperty("meshdeck.viz.dump");
            if (dump != null) {
                PngWriter.write(image, Path.of(dump, "rendering-" + System.nanoTime() + ".png"));
            }
            return image;
        });
    }

    @Test
    void drawsEachNodeInItsHealthColourWhereTheLayoutPutsIt() {
        SceneModel scene = new SceneModel(threeServices(), ROW, NodeSizing.DEFAULT);
        WritableImage image = render(scene, 800, 200);
        // the health stripe runs down the left side of each node box, 3..10 units in
        assertColour(image, stripe(scene, "a"), Styling.HEALTHY);
        assertColour(image, stripe(scene, "b"), Styling.FAILING);
        assertColour(image, stripe(scene, "c"), Styling.DEGRADED);
        // between the nodes, off the edge line, is background
        assertColour(image, new Point(275, 60), Styling.BACKGROUND);
    }

    @Test
    void drawsTheLockForMtlsTheWarningForPlaintextAndTheOpenLockForMixed() {
        SceneModel scene = new SceneModel(threeServices(), ROW, NodeSizing.DEFAULT);
        WritableImage image = render(scene, 800, 200);
        // the badge sits 11 units in from the right side, centred vertically; its body is below the centre
        assertColour(image, lockBody(scene, "a"), Styling.LOCK_MTLS);
        assertColour(image, lockBody(scene, "c"), Styling.LOCK_MIXED);
        Rect b = scene.nodeBox(scene.graph().indexOf("b"));
        assertColour(image, new Point(b.maxX() - 11 + 4, b.center().y() + 4), Styling.WARNING_PLAINTEXT);
        // the circuit-open badge of b: a disc on its top edge, 12 units in (above its letter)
        assertColour(image, new Point(b.minX() + 12, b.minY() - 6), Styling.badgeColour(Badge.CIRCUIT_OPEN));
    }

    @Test
    void drawsTheSplitBarWithOneColourPerVersion() {
        TopologyGraph g = Fixtures.bookinfo();
        SceneModel scene = new SceneModel(g, new dev.meshdeck.viz.layout.LayeredLayout().layout(g, Layout.EMPTY),
                NodeSizing.DEFAULT);
        Rect bounds = scene.bounds();
        Viewport vp = Viewport.fit(bounds, 1000, 700, 20);
        WritableImage image = Fx.call(() -> {
            Canvas canvas = new Canvas(1000, 700);
            TopologyCanvasRenderer r = new TopologyCanvasRenderer(canvas);
            r.render(scene, ViewState.NONE, ViewOptions.DEFAULT.withTrafficDots(false), vp, 0);
            WritableImage img = r.snapshot();
            String dump = System.getProperty("meshdeck.viz.dump");
            if (dump != null) {
                PngWriter.write(img, Path.of(dump, "bookinfo.png"));
            }
            return img;
        });
        var bar = scene.splitBarOf("reviews");
        assertThat(bar).isNotNull();
        double y = bar.bar().center().y();
        // 34 / 33 / 33: the middle of each third
        for (int v = 0; v < 3; v++) {
            double x = bar.bar().minX() + bar.bar().width() * (v + 0.5) / 3;
            assertColour(image, new Point(vp.toScreenX(x), vp.toScreenY(y)), Styling.splitColour(v));
        }
    }

    private static Point stripe(SceneModel scene, String id) {
        Rect r = scene.nodeBox(scene.graph().indexOf(id));
        return new Point(r.minX() + 6.5, r.center().y());
    }

    private static Point lockBody(SceneModel scene, String id) {
        Rect r = scene.nodeBox(scene.graph().indexOf(id));
        return new Point(r.maxX() - 11, r.center().y() + 4);
    }

    static void assertColour(WritableImage image, Point at, int expected) {
        int actual = image.getPixelReader().getArgb((int) Math.round(at.x()), (int) Math.round(at.y()));
        assertThat(distance(actual, expected))
                .as("pixel at (%.0f, %.0f): #%06x, expected about #%06x", at.x(), at.y(), actual & 0xFFFFFF,
                        expected & 0xFFFFFF)
                .isLessThan(40);
    }

    private static int distance(int a, int b) {
        return Math.abs(((a >> 16) & 0xFF) - ((b >> 16) & 0xFF)) + Math.abs(((a >> 8) & 0xFF) - ((b >> 8) & 0xFF))
                + Math.abs((a & 0xFF) - (b & 0xFF));
    }
}
