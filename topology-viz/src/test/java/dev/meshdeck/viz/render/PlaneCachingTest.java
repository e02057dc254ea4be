package dev.meshdeck.viz.render;

import dev.meshdeck.viz.Fixtures;
import dev.meshdeck.viz.layout.LayeredLayout;
import dev.meshdeck.viz.layout.Layout;
import dev.meshdeck.viz.layout.NodeSizing;
import dev.meshdeck.viz.model.TopologyGraph;
import dev.meshdeck.viz.view.SceneDrawer;
import dev.meshdeck.viz.view.SceneModel;
import dev.meshdeck.viz.view.ViewOptions;
import dev.meshdeck.viz.view.ViewState;
import dev.meshdeck.viz.view.Viewport;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.WritableImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The canvas renderer draws a plane again only when what it depends on changed (counted by the drawer),
 * and a picture put together from kept planes is the picture drawn afresh, pixel for pixel.
 */
@ExtendWith(ApplicationExtension.class)
class PlaneCachingTest {

    private static final int W = 900;
    private static final int H = 600;
    private static final ViewOptions DOTS = ViewOptions.DEFAULT;
    private static final ViewOptions NO_DOTS = ViewOptions.DEFAULT.withTrafficDots(false);

    private static final TopologyGraph GRAPH = Fixtures.bookinfo();
    private static final SceneModel SCENE = new SceneModel(GRAPH, new LayeredLayout().layout(GRAPH, Layout.EMPTY),
            NodeSizing.DEFAULT);
    /** Close enough for arrow heads, badges and traffic dots. */
    private static final Viewport VIEW = Viewport.IDENTITY.centeredOn(SCENE.bounds().center().x(),
            SCENE.bounds().center().y(), W, H);

    /** Runs {@code frames} on a new renderer and returns its drawer, for the counters. */
    private static SceneDrawer drawerAfter(Consumer<TopologyCanvasRenderer> frames) {
        return Fx.call(() -> {
            TopologyCanvasRenderer r = new TopologyCanvasRenderer(new Canvas(W, H));
            frames.accept(r);
            return r.drawer();
        });
    }

    private static WritableImage pictureAfter(Consumer<TopologyCanvasRenderer> frames) {
        return Fx.call(() -> {
            TopologyCanvasRenderer r = new TopologyCanvasRenderer(new Canvas(W, H));
            frames.accept(r);
            return r.snapshot();
        });
    }

    @Test
    void hoverChangeRedrawsNeitherTheEdgesNorTheBackground() {
        String node = GRAPH.nodeAt(0).id();
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE.withHover(node, null), NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE.withSelection(node, null), NO_DOTS, VIEW, 0);
        });
        assertThat(d.edgeLayerDraws()).isEqualTo(1);
        assertThat(d.backgroundDraws()).isEqualTo(1);
        assertThat(d.foregroundDraws()).isEqualTo(3);
    }

    @Test
    void movingTrafficDotsRedrawOnlyTheDotsOverTheKeptEdges() {
        SceneDrawer d = drawerAfter(r -> {
            for (int i = 0; i < 5; i++) {
                r.render(SCENE, ViewState.NONE, DOTS, VIEW, i / 60.0);
            }
        });
        assertThat(d.edgeLayerDraws()).isEqualTo(1);
        assertThat(d.backgroundDraws()).isEqualTo(1);
        assertThat(d.foregroundDraws()).isEqualTo(1);
    }

    @Test
    void aStillViewWithoutDotsDrawsNothingAgain() {
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 1);
        });
        assertThat(d.edgeLayerDraws()).isEqualTo(1);
        assertThat(d.backgroundDraws()).isEqualTo(1);
        assertThat(d.foregroundDraws()).isEqualTo(1);
    }

    @Test
    void panFilterFindAndNewSnapshotsDrawTheEdgesAgain() {
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW.panBy(5, 0), 0);
            r.render(SCENE, ViewState.NONE.withFindQuery("review"), NO_DOTS, VIEW.panBy(5, 0), 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS.withHideIdleEdges(true), VIEW.panBy(5, 0), 0);
            r.render(SCENE.withGraph(GRAPH), ViewState.NONE, NO_DOTS.withHideIdleEdges(true), VIEW.panBy(5, 0), 0);
        });
        assertThat(d.edgeLayerDraws()).isEqualTo(5);
    }

    @Test
    void aPictureFromKeptPlanesIsThePictureDrawnAfresh() {
        String node = GRAPH.nodeAt(1).id();
        WritableImage kept = pictureAfter(r -> {
            r.render(SCENE, ViewState.NONE, DOTS, VIEW, 0.5);
            r.render(SCENE, ViewState.NONE.withHover(node, null), DOTS, VIEW, 0.75);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW, 1.0);
        });
        WritableImage fresh = pictureAfter(r -> r.render(SCENE, ViewState.NONE, DOTS, VIEW, 1.0));
        assertSamePixels(kept, fresh);
    }

    @Test
    void movedTrafficDotsReachThePicture() {
        WritableImage early = pictureAfter(r -> r.render(SCENE, ViewState.NONE, DOTS, VIEW, 0.5));
        WritableImage later = pictureAfter(r -> {
            r.render(SCENE, ViewState.NONE, DOTS, VIEW, 0.5);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW, 0.9);
        });
        assertThat(differingPixels(early, later)).isPositive();
    }

    static void assertSamePixels(WritableImage a, WritableImage b) {
        assertThat(differingPixels(a, b)).as("pixels that differ").isZero();
    }

    private static int differingPixels(WritableImage a, WritableImage b) {
        assertThat((int) a.getWidth()).isEqualTo((int) b.getWidth());
        assertThat((int) a.getHeight()).isEqualTo((int) b.getHeight());
        int differing = 0;
        for (int y = 0; y < (int) a.getHeight(); y++) {
            for (int x = 0; x < (int) a.getWidth(); x++) {
                if (a.getPixelReader().getArgb(x, y) != b.getPixelReader().getArgb(x, y)) {
                    differing++;
                }
            }
        }
        return differing;
    }
}
