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
 * The canvas renderer draws a plane of the still picture again only when what it depends on changed
 * (counted by the drawer), moves the kept picture on a pan and scales it while a zoom is in motion, and a
 * picture put together from kept planes is the picture drawn afresh, pixel for pixel (or within a pixel's
 * rounding of a line's end after a pan).
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
    void theFirstPanFilterFindAndNewSnapshotsDrawTheEdgesAgain() {
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW.panBy(5, 0), 0);
            r.render(SCENE, ViewState.NONE.withFindQuery("review"), NO_DOTS, VIEW.panBy(5, 0), 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS.withHideIdleEdges(true), VIEW.panBy(5, 0), 0);
            r.render(SCENE.withGraph(GRAPH), ViewState.NONE, NO_DOTS.withHideIdleEdges(true), VIEW.panBy(5, 0), 0);
        });
        // the first frame is drawn without a margin, so the first pan draws the still picture with one
        assertThat(d.edgeLayerDraws()).isEqualTo(5);
    }

    @Test
    void movingTrafficDotsPutTheStillPictureTogetherOnlyOnce() {
        long compositions = Fx.call(() -> {
            TopologyCanvasRenderer r = new TopologyCanvasRenderer(new Canvas(W, H));
            for (int i = 0; i < 5; i++) {
                r.render(SCENE, ViewState.NONE, DOTS, VIEW, i / 60.0);
            }
            return r.stillCompositions();
        });
        assertThat(compositions).isEqualTo(1);
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
    void aPanByWholePixelsWithinTheMarginMovesTheKeptEdges() {
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(7, -4), 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(7, -4).panBy(-30, 12), 0);
        });
        assertThat(d.edgeLayerDraws()).isEqualTo(2);
    }

    @Test
    void aPanByAFractionOfAPixelDrawsTheEdgesAgain() {
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW.panBy(3, 0), 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW.panBy(5.5, 0), 0);
        });
        assertThat(d.edgeLayerDraws()).isEqualTo(3);
    }

    @Test
    void aPictureFromMovedEdgesIsThePictureDrawnAfresh() {
        Viewport moved = VIEW.panBy(7, -4).panBy(-30, 12);
        WritableImage kept = pictureAfter(r -> {
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW.panBy(7, -4), 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, moved, 0);
        });
        assertNearlyTheFreshPicture(kept, ViewState.NONE, moved);
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
    void whenAPanStopsTheStillPictureDrawnWithTheMarginIsKept() {
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(3, 0), 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(6, 0), 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(6, 0), 0.5);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(6, 0), 1.0);
        });
        assertThat(d.backgroundDraws()).isEqualTo(2);
        assertThat(d.foregroundDraws()).isEqualTo(2);
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
        assertNearlyTheFreshPicture(kept, ViewState.NONE, moved);
    }

    @Test
    void aZoomInMotionShowsTheKeptPictureScaledInsteadOfDrawingIt() {
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.zoomAt(1.1, W / 2.0, H / 2.0), 0.02);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.zoomAt(1.21, W / 2.0, H / 2.0), 0.04);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.zoomAt(1.21, W / 2.0, H / 2.0), 0.10);
        });
        assertThat(d.scaledFrames()).isEqualTo(3);
        assertThat(d.lastFrameScaled()).isTrue();
        assertThat(d.backgroundDraws()).isEqualTo(1);
        assertThat(d.edgeLayerDraws()).isEqualTo(1);
        assertThat(d.foregroundDraws()).isEqualTo(1);
    }

    @Test
    void whenAZoomRestsThePictureIsDrawnAfreshAtItsScaleAndTheFirstPanAfterItOnceMore() {
        Viewport zoomed = VIEW.zoomAt(1.21, W / 2.0, H / 2.0);
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, zoomed, 0.02);
            r.render(SCENE, ViewState.NONE, NO_DOTS, zoomed, 0.02 + SceneDrawer.ZOOM_SETTLE_SECONDS);
            r.render(SCENE, ViewState.NONE, NO_DOTS, zoomed, 0.5);
            r.render(SCENE, ViewState.NONE, NO_DOTS, zoomed.panBy(3, 0), 0.6);
            r.render(SCENE, ViewState.NONE, NO_DOTS, zoomed.panBy(6, 0), 0.7);
        });
        assertThat(d.scaledFrames()).isEqualTo(1);
        assertThat(d.lastFrameScaled()).isFalse();
        assertThat(d.backgroundDraws()).isEqualTo(3);
        assertThat(d.foregroundDraws()).isEqualTo(3);
    }

    @Test
    void aPictureAfterAZoomRestsIsThePictureDrawnAfresh() {
        Viewport zoomed = VIEW.zoomAt(1.3, W / 3.0, H / 2.0);
        WritableImage kept = pictureAfter(r -> {
            r.render(SCENE, ViewState.NONE, DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.zoomAt(1.1, W / 3.0, H / 2.0), 0.02);
            r.render(SCENE, ViewState.NONE, DOTS, zoomed, 0.04);
            r.render(SCENE, ViewState.NONE, DOTS, zoomed, 0.5);
        });
        WritableImage fresh = pictureAfter(r -> r.render(SCENE, ViewState.NONE, DOTS, zoomed, 0.5));
        assertSamePixels(kept, fresh);
    }

    @Test
    void aZoomInMotionShowsThePictureAtTheNewScaleWithinAPixelOrTwo() {
        Viewport zoomed = VIEW.zoomAt(1.25, W / 2.0, H / 2.0);
        WritableImage scaled = pictureAfter(r -> {
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, zoomed, 0.02);
        });
        WritableImage fresh = pictureAfter(r -> r.render(SCENE, ViewState.NONE, NO_DOTS, zoomed, 0));
        WritableImage elsewhere = pictureAfter(r -> r.render(SCENE, ViewState.NONE, NO_DOTS, zoomed.panBy(8, 0), 0));
        // a scaled picture is coarser (lines and text resampled, not as wide as drawn at the new scale), but
        // shows everything where it belongs: all but a few pixels have the fresh picture's colour within 2
        // pixels, less than half as many as a picture 8 pixels off
        int misplaced = pixelsWithoutMatchNearby(scaled, fresh, 2, 24);
        assertThat(misplaced).isLessThan(W * H / 50);
        assertThat(pixelsWithoutMatchNearby(scaled, elsewhere, 2, 24)).isGreaterThan(2 * misplaced);
    }

    @Test
    void aSettledDrawerDrawsANewScaleAfreshAtOnce() {
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.drawer().settle();
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW.zoomAt(1.1, W / 2.0, H / 2.0), 0.02);
        });
        assertThat(d.scaledFrames()).isZero();
        assertThat(d.backgroundDraws()).isEqualTo(2);
    }

    @Test
    void aZoomBeyondTwiceTheKeptScaleOrANewSnapshotDrawsThePictureAgain() {
        SceneModel next = SCENE.withGraph(GRAPH);
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW.zoomAt(2.5, W / 2.0, H / 2.0), 0.02);
            r.render(next, ViewState.NONE, NO_DOTS, VIEW.zoomAt(2.4, W / 2.0, H / 2.0), 0.04);
            r.render(next, ViewState.NONE, NO_DOTS, VIEW.zoomAt(2.3, W / 2.0, H / 2.0), 0.06);
        });
        assertThat(d.backgroundDraws()).isEqualTo(3);
        assertThat(d.scaledFrames()).isEqualTo(1);
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
    void aPanThatLeavesTheMarginDrawsOnlyTheStripsThatCameIntoView() {
        SceneDrawer d = drawerAfter(r -> {
            r.render(SCENE, ViewState.NONE, DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(3, 0), 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(203, 0), 0);
            r.render(SCENE, ViewState.NONE, DOTS, VIEW.panBy(403, -250), 0);
        });
        // the first frame, the first pan (with the margin), then a strip, then a strip and a band
        assertThat(d.stillRegionDraws()).isEqualTo(3);
        assertThat(d.backgroundDraws()).isEqualTo(5);
        assertThat(d.foregroundDraws()).isEqualTo(5);
    }

    @Test
    void aPictureAfterPansThatLeftTheMarginIsThePictureDrawnAfresh() {
        Viewport moved = VIEW.panBy(-403, 250);
        String node = GRAPH.nodeAt(1).id();
        ViewState hover = ViewState.NONE.withHover(node, null);
        WritableImage kept = pictureAfter(r -> {
            r.render(SCENE, hover, NO_DOTS, VIEW, 0);
            r.render(SCENE, hover, NO_DOTS, VIEW.panBy(-3, 0), 0);
            r.render(SCENE, hover, NO_DOTS, VIEW.panBy(-203, 0), 0);
            r.render(SCENE, hover, NO_DOTS, moved, 0);
            r.render(SCENE, hover, NO_DOTS, moved, 0);
        });
        assertNearlyTheFreshPicture(kept, hover, moved);
    }

    @Test
    void aHoverAfterAPanThatLeftTheMarginShowsThePictureDrawnAfresh() {
        Viewport moved = VIEW.panBy(-203, 0);
        String node = GRAPH.nodeAt(1).id();
        ViewState hover = ViewState.NONE.withHover(node, null);
        WritableImage kept = pictureAfter(r -> {
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW.panBy(-3, 0), 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, moved, 0);
            r.render(SCENE, hover, NO_DOTS, moved, 0);
        });
        assertNearlyTheFreshPicture(kept, hover, moved);
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
        assertNearlyTheFreshPicture(kept, ViewState.NONE.withHover(node, null), moved);
    }

    /**
     * How many pixels of {@code a} differ by more than {@code tolerance} in some channel from every pixel of
     * {@code b} within {@code distance} pixels.
     */
    private static int pixelsWithoutMatchNearby(WritableImage a, WritableImage b, int distance, int tolerance) {
        int w = (int) a.getWidth();
        int h = (int) a.getHeight();
        int count = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = a.getPixelReader().getArgb(x, y);
                boolean match = false;
                for (int v = Math.max(0, y - distance); v <= Math.min(h - 1, y + distance) && !match; v++) {
                    for (int u = Math.max(0, x - distance); u <= Math.min(w - 1, x + distance) && !match; u++) {
                        match = within(p, b.getPixelReader().getArgb(u, v), tolerance);
                    }
                }
                if (!match) {
                    count++;
                }
            }
        }
        return count;
    }

    private static boolean within(int p, int q, int tolerance) {
        for (int shift = 0; shift < 32; shift += 8) {
            if (Math.abs(((p >>> shift) & 0xFF) - ((q >>> shift) & 0xFF)) > tolerance) {
                return false;
            }
        }
        return true;
    }

    /**
     * Asserts that {@code kept} is the picture drawn afresh (without dots) but for the rounding of a line's end
     * after a move: the same lines from coordinates that differ by whole pixels (one pixel of 540 000 when
     * this was written).
     */
    private static void assertNearlyTheFreshPicture(WritableImage kept, ViewState state, Viewport viewport) {
        WritableImage fresh = pictureAfter(r -> r.render(SCENE, state, NO_DOTS, viewport, 0));
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
