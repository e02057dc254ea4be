package dev.meshdeck.viz.render;

import dev.meshdeck.viz.Fixtures;
import dev.meshdeck.viz.layout.LayeredLayout;
import dev.meshdeck.viz.layout.Layout;
import dev.meshdeck.viz.layout.NodeSizing;
import dev.meshdeck.viz.model.TopologyGraph;
import dev.meshdeck.viz.render.internal.BackgroundThread;
import dev.meshdeck.viz.view.SceneModel;
import dev.meshdeck.viz.view.ViewOptions;
import dev.meshdeck.viz.view.ViewState;
import dev.meshdeck.viz.view.Viewport;
import javafx.scene.Group;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.WritableImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

import static dev.meshdeck.viz.render.PlaneCachingTest.assertSamePixels;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The still picture drawn on an executor: shown only once the executor ran it (until then the kept one,
 * moved and scaled), the newest asked for wins, and once settled it is the picture drawn at once. The tests
 * run the executor's tasks themselves, so nothing depends on timing.
 */
@ExtendWith(ApplicationExtension.class)
class BackgroundStillTest {

    private static final int W = 900;
    private static final int H = 600;
    private static final ViewOptions NO_DOTS = ViewOptions.DEFAULT.withTrafficDots(false);
    private static final TopologyGraph GRAPH = Fixtures.bookinfo();
    private static final SceneModel SCENE = new SceneModel(GRAPH, new LayeredLayout().layout(GRAPH, Layout.EMPTY),
            NodeSizing.DEFAULT);
    private static final Viewport VIEW = Viewport.IDENTITY.centeredOn(SCENE.bounds().center().x(),
            SCENE.bounds().center().y(), W, H);

    /** Keeps the tasks given to it until the test runs them. */
    private static final class HeldTasks implements Executor {
        private final Queue<Runnable> tasks = new ArrayDeque<>();
        private int ran;

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        /** Runs the tasks given so far, and those they give. */
        void runAll() {
            for (Runnable t = tasks.poll(); t != null; t = tasks.poll()) {
                t.run();
                ran++;
            }
        }
    }

    /** The picture after these frames (no dots) drawn at once, on the JavaFX thread. */
    private static WritableImage drawnAtOnce(Viewport... frames) {
        return Fx.call(() -> {
            TopologyCanvasRenderer r = new TopologyCanvasRenderer(new Canvas(W, H));
            for (Viewport v : frames) {
                r.render(SCENE, ViewState.NONE, NO_DOTS, v, 0);
            }
            return r.snapshot();
        });
    }

    private static WritableImage freshPicture(Viewport viewport, ViewState state) {
        return Fx.call(() -> {
            TopologyCanvasRenderer r = new TopologyCanvasRenderer(new Canvas(W, H));
            r.render(SCENE, state, NO_DOTS, viewport, 5);
            return r.snapshot();
        });
    }

    @Test
    void aStillPictureDrawnOnTheExecutorIsShownOnceItRanAndIsThePictureDrawnAtOnce() {
        HeldTasks tasks = new HeldTasks();
        WritableImage settled = Fx.call(() -> {
            TopologyCanvasRenderer r = new TopologyCanvasRenderer(new Canvas(W, H), tasks);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            assertThat(r.stillPending()).isTrue();
            assertThat(r.stillCompositions()).isZero();
            tasks.runAll();
            assertThat(r.stillPending()).isFalse();
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 1);
            assertThat(r.stillCompositions()).isEqualTo(1);
            return r.snapshot();
        });
        assertSamePixels(settled, freshPicture(VIEW, ViewState.NONE));
    }

    @Test
    void untilTheFreshPictureOfARestedZoomIsReadyTheScreenShowsTheKeptOneScaled() {
        HeldTasks tasks = new HeldTasks();
        Viewport zoomed = VIEW.zoomAt(1.2, W / 2.0, H / 2.0);
        WritableImage[] pictures = Fx.call(() -> {
            TopologyCanvasRenderer r = new TopologyCanvasRenderer(new Canvas(W, H), tasks);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            tasks.runAll();
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0.01);
            // the zoom in motion: the kept picture scaled
            r.render(SCENE, ViewState.NONE, NO_DOTS, zoomed, 0.02);
            assertThat(r.drawer().lastFrameScaled()).isTrue();
            WritableImage moving = r.snapshot();
            // it rests: drawn afresh on the executor, the scaled one shown until then
            r.render(SCENE, ViewState.NONE, NO_DOTS, zoomed, 1);
            assertThat(r.drawer().lastFrameScaled()).isFalse();
            assertThat(r.stillPending()).isTrue();
            r.render(SCENE, ViewState.NONE, NO_DOTS, zoomed, 1.02);
            WritableImage waiting = r.snapshot();
            tasks.runAll();
            r.render(SCENE, ViewState.NONE, NO_DOTS, zoomed, 1.04);
            return new WritableImage[] {moving, waiting, r.snapshot()};
        });
        assertSamePixels(pictures[1], pictures[0]);
        assertSamePixels(pictures[2], freshPicture(zoomed, ViewState.NONE));
    }

    @Test
    void aStillPictureAskedForLaterCancelsTheOneBeforeIt() {
        HeldTasks tasks = new HeldTasks();
        Viewport moved = VIEW.panBy(0.5, 0);
        WritableImage settled = Fx.call(() -> {
            TopologyCanvasRenderer r = new TopologyCanvasRenderer(new Canvas(W, H), tasks);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            // a pan by half a pixel: the picture is drawn again, and the first one is given up
            r.render(SCENE, ViewState.NONE, NO_DOTS, moved, 0);
            tasks.runAll();
            r.render(SCENE, ViewState.NONE, NO_DOTS, moved, 1);
            assertThat(r.stillCompositions()).isEqualTo(1);
            return r.snapshot();
        });
        // the same frames drawn at once (the pan draws the picture with its margin)
        assertSamePixels(settled, drawnAtOnce(VIEW, moved));
    }

    @Test
    void aHoverWhileTheBackgroundIsDrawnShowsTheHoverOverTheNewBackground() {
        HeldTasks tasks = new HeldTasks();
        ViewState hover = ViewState.NONE.withHover(GRAPH.nodeAt(1).id(), null);
        WritableImage settled = Fx.call(() -> {
            TopologyCanvasRenderer r = new TopologyCanvasRenderer(new Canvas(W, H), tasks);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, hover, NO_DOTS, VIEW, 0);
            tasks.runAll();
            r.render(SCENE, hover, NO_DOTS, VIEW, 1);
            assertThat(r.drawer().edgeLayerDraws()).isEqualTo(1);
            return r.snapshot();
        });
        assertSamePixels(settled, freshPicture(VIEW, hover));
    }

    @Test
    void theStripsOfAPanThatLeftTheMarginAreDrawnOnTheExecutorAndThenShown() {
        HeldTasks tasks = new HeldTasks();
        Viewport first = VIEW.panBy(5, 0);
        Viewport beyond = first.panBy(TopologyCanvasRenderer.PAN_MARGIN + 20, 0);
        WritableImage settled = Fx.call(() -> {
            TopologyCanvasRenderer r = new TopologyCanvasRenderer(new Canvas(W, H), tasks);
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE, NO_DOTS, first, 0);
            tasks.runAll();
            r.render(SCENE, ViewState.NONE, NO_DOTS, beyond, 0);
            assertThat(r.drawer().stillRegionDraws()).isEqualTo(1);
            assertThat(r.stillPending()).isTrue();
            tasks.runAll();
            assertThat(r.stillPending()).isFalse();
            r.render(SCENE, ViewState.NONE, NO_DOTS, beyond, 1);
            return r.snapshot();
        });
        assertSamePixels(settled, drawnAtOnce(VIEW, first, beyond));
    }

    @Test
    void aTextDrawnAgainIsNotRenderedByJavaFxAgain() {
        String node = GRAPH.nodeAt(0).id();
        long renderings = Fx.call(() -> {
            TopologyCanvasRenderer r = new TopologyCanvasRenderer(new Canvas(W, H));
            r.render(SCENE, ViewState.NONE, NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE.withHover(node, null), NO_DOTS, VIEW, 0);
            r.render(SCENE, ViewState.NONE.withSelection(node, null), NO_DOTS, VIEW.panBy(40, 0), 0);
            return r.textRenderings();
        });
        assertThat(renderings).isEqualTo(1);
    }

    @Test
    void anExportWaitsForTheStillPictureDrawnInTheBackground() {
        BackgroundThread thread = new BackgroundThread("test-still");
        try {
            WritableImage exported = Fx.call(() -> {
                TopologyView view = new TopologyView(GRAPH, NodeSizing.DEFAULT, thread);
                view.setOptions(NO_DOTS);
                new Scene(new Group(view), W, H);
                view.resize(W, H);
                view.layout();
                view.setViewport(VIEW);
                return view.snapshotImage();
            });
            WritableImage direct = Fx.call(() -> {
                TopologyView view = new TopologyView(GRAPH, NodeSizing.DEFAULT, Runnable::run);
                view.setOptions(NO_DOTS);
                new Scene(new Group(view), W, H);
                view.resize(W, H);
                view.layout();
                view.setViewport(VIEW);
                return view.snapshotImage();
            });
            assertSamePixels(exported, direct);
        } finally {
            thread.stop();
        }
    }

    @Test
    void renderNowLeavesTheStillPictureDrawnInTheBackgroundOnTheScreen() {
        BackgroundThread thread = new BackgroundThread("test-still");
        try {
            WritableImage shown = Fx.call(() -> {
                TopologyView view = new TopologyView(GRAPH, NodeSizing.DEFAULT, thread);
                view.setOptions(NO_DOTS);
                Scene scene = new Scene(new Group(view), W, H);
                view.resize(W, H);
                view.layout();
                view.setViewport(VIEW);
                view.renderNow();
                assertThat(view.stillPending()).isFalse();
                return scene.snapshot(null);
            });
            assertSamePixels(shown, freshPicture(VIEW, ViewState.NONE));
        } finally {
            thread.stop();
        }
    }

    @Test
    void aViewRemovedFromItsSceneStopsItsBackgroundThreadAndStartsItAgainWhenShown() {
        Fx.run(() -> {
            TopologyView view = new TopologyView(GRAPH, NodeSizing.DEFAULT);
            view.setOptions(NO_DOTS);
            Group root = new Group(view);
            new Scene(root, W, H);
            view.resize(W, H);
            view.layout();
            view.renderNow();
            assertThat(view.backgroundThreadRunning()).isTrue();
            root.getChildren().remove(view);
            assertThat(view.backgroundThreadRunning()).isFalse();
            assertThat(view.stillPending()).isFalse();
            root.getChildren().add(view);
            // shown again and moved by half a pixel: the still picture is drawn again, on a new thread
            view.setViewport(view.getViewport().panBy(0.5, 0));
            view.renderNow();
            assertThat(view.backgroundThreadRunning()).isTrue();
            view.dispose();
            assertThat(view.backgroundThreadRunning()).isFalse();
        });
    }
}
