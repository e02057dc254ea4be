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
        assertThat(d.edgeLayerDraws()).isEqualTo(4);
        assertThat(d.edgeLayerShifts()).isEqualTo(1);
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
    void aPanByWholePixelsMovesTheKeptEdgesAndDrawsOnlyWhatCameIntoView() {
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(7, -4), 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(7, -4).panBy(-30, 12), 0);
        });
        assertThat(d.edgeLayerDraws()).isEqualTo(1);
        assertThat(d.edgeLayerShifts()).isEqualTo(2);
    }

    @Test
    void aPanByAFractionOfAPixelDrawsTheEdgesAgain() {
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW.panBy(2.5, 0), 0);
        });
        assertThat(d.edgeLayerDraws()).isEqualTo(2);
        assertThat(d.edgeLayerShifts()).isZero();
    }

    @Test
    void aPictureFromMovedEdgesIsThePictureDrawnAfresh() {
        Viewport moved = VIEW.panBy(7, -4).panBy(-30, 12);
        WritableImage kept = pictureAfter(r -> {
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW.panBy(7, -4), 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, moved, 0);
        });
        WritableImage fresh = pictureAfter(r -> r.render(SCENE, ViewState.NONE, NO_DOTS, moved, 0));
        // the same lines from coordinates that differ by whole pixels: the rounding of a line's end may
        // differ (one pixel of 540 000 when this was written), nothing else
        assertThat(pixelsDifferingBeyond(kept, fresh, 2)).isLessThanOrEqualTo(10);
    }

    @Test
    void aPanWithinTheMarginMovesTheBoxesAndNodesInsteadOfDrawingThem() {
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(7, -4), 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(7, -4).panBy(-30, 12), 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(TopologyCanvasRenderer.PAN_MARGIN, 0), 0);
        });
        // the first frame (like a zoom) draws them without the margin, so the first pan draws them once more
        assertThat(d.backgroundDraws()).isEqualTo(2);
        assertThat(d.foregroundDraws()).isEqualTo(2);
    }

    @Test
    void whenAPanStopsTheBoxesAndNodesAreDrawnOnceMoreWithoutTheMarginAndThenKept() {
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(3, 0), 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(6, 0), 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(6, 0), 0.5);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(6, 0), 1.0);
        });
        assertThat(d.backgroundDraws()).isEqualTo(3);
        assertThat(d.foregroundDraws()).isEqualTo(3);
    }

    @Test
    void aPictureAfterAStoppedPanIsThePictureDrawnAfresh() {
        Viewport moved = VIEW.panBy(40, -25);
        WritableImage kept = pictureAfter(r -> {
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW.panBy(20, -10), 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, moved, 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, moved, 0);
        });
        WritableImage fresh = pictureAfter(r -> r.render(SCENE, ViewState.NONE, NO_DOTS, moved, 0));
        assertThat(pixelsDifferingBeyond(kept, fresh, 2)).isLessThanOrEqualTo(10);
    }

    @Test
    void zoomingDrawsTheBoxesAndNodesEveryFrameAndTheFirstPanAfterItOnceMore() {
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW.zoomAt(1.1, W / 2.0, H / 2.0), 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW.zoomAt(1.1, W / 2.0, H / 2.0).panBy(3, 0), 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW.zoomAt(1.1, W / 2.0, H / 2.0).panBy(6, 0), 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW.zoomAt(1.1, W / 2.0, H / 2.0).panBy(9, 0), 0);
        });
        assertThat(d.backgroundDraws()).isEqualTo(3);
        assertThat(d.foregroundDraws()).isEqualTo(3);
    }

    @Test
    void aPanBeyondTheMarginOrByAFractionOfAPixelDrawsTheBoxesAndNodesAgain() {
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW.panBy(TopologyCanvasRenderer.PAN_MARGIN + 1, 0), 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW.panBy(TopologyCanvasRenderer.PAN_MARGIN + 1.5, 0), 0);
        });
        assertThat(d.backgroundDraws()).isEqualTo(3);
        assertThat(d.foregroundDraws()).isEqualTo(3);
    }

    @Test
    void aPictureFromPlanesMovedFarWithinTheMarginIsThePictureDrawnAfresh() {
        // far enough that nodes drawn in the margin come into view
        Viewport moved = VIEW.panBy(-150, 120);
        String node = GRAPH.nodeAt(1).id();
        WritableImage kept = pictureAfter(r -> {
            r.render(SCENE, ViewState.NONE.withHover(node, null), NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE.withHover(node, null), NO_DOTS, VIEW.panBy(-75, 60), 0);
            r.render(SCENE, ViewState.NONE.withHover(node, null), NO_DOTS, moved, 0);
        });
        WritableImage fresh = pictureAfter(r -> r.render(SCENE, ViewState.NONE.withHover(node, null), NO_DOTS,
                moved, 0));
        assertThat(pixelsDifferingBeyond(kept, fresh, 2)).isLessThanOrEqualTo(10);
    }

    /** How many pixels differ by more than {@code tolerance} in some channel. */
    private static int pixelsDifferingBeyond(WritableImage a, WritableImage b, int tolerance) {
        int count = 0;
        for (int y = 0; y < (int) a.getHeight(); y++) {
            for (int x = 0; x < (int) a.getWidth(); x++) {
                int p = a.getPixelReader().getArgb(x, y);
                int q = b.getPixelReader().getArgb(x, y);
                for (int shift = 0; shift < 32; shift += 8) {
                    if (Math.abs(((p >>> shift) & 0xFF) - ((q >>> shift) & 0xFF)) > tolerance) {
                        count++;
                        break;
                    }
                }
            }
        }
        return count;
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
