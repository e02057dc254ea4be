package dev.meshdeck.viz.render;

import dev.meshdeck.viz.Fixtures;
import dev.meshdeck.viz.layout.Rect;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.view.NodeDroppedOnNode;
import dev.meshdeck.viz.view.SplitBar;
import dev.meshdeck.viz.view.SplitWeightsDragged;
import dev.meshdeck.viz.view.Viewport;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Drives the view with TestFX's mouse and keyboard on the headless Monocle platform. */
@ExtendWith(ApplicationExtension.class)
class TopologyViewInteractionTest {

    private TopologyView view;
    private final List<GraphNode> selected = new CopyOnWriteArrayList<>();
    private final List<GraphNode> doubleClicked = new CopyOnWriteArrayList<>();
    private final List<NodeDroppedOnNode> drops = new CopyOnWriteArrayList<>();
    private final List<SplitWeightsDragged> splits = new CopyOnWriteArrayList<>();

    @Start
    void start(Stage stage) {
        view = new TopologyView();
        view.setGraph(Fixtures.bookinfo());
        view.setOptions(view.getOptions().withTrafficDots(false)); // no animation: the robot waits for idle pulses
        view.setOnNodeSelected(selected::add);
        view.setOnNodeDoubleClicked(doubleClicked::add);
        view.setOnNodeDroppedOnNode(drops::add);
        view.setOnSplitWeightsDragged(splits::add);
        stage.setScene(new Scene(view, 1000, 700));
        stage.show();
        view.fitToView();
        view.requestFocus();
    }

    /** The screen point of the centre of node {@code id}, as the current viewport draws it. */
    private Point2D centreOf(String id) {
        return Fx.call(() -> {
            Rect box = view.getSceneModel().nodeBox(view.getGraph().indexOf(id));
            Viewport vp = view.getViewport();
            return view.localToScreen(vp.toScreenX(box.center().x()), vp.toScreenY(box.center().y()));
        });
    }

    private Viewport viewport() {
        return Fx.call(view::getViewport);
    }

    @Test
    void scrollingZoomsAroundThePointer(FxRobot robot) {
        Viewport before = viewport();
        Point2D at = centreOf("details");
        robot.moveTo(at);
        robot.scroll(3, javafx.geometry.VerticalDirection.UP);
        WaitForAsyncUtils.waitForFxEvents();
        Viewport after = viewport();
        assertThat(after.scale()).isNotEqualTo(before.scale());
        // the node under the pointer stays under it
        Point2D again = centreOf("details");
        assertThat(again.getX()).isCloseTo(at.getX(), within(2.0));
        assertThat(again.getY()).isCloseTo(at.getY(), within(2.0));
    }

    @Test
    void aWheelZoomShowsTheScaledPictureAndDrawsItAfreshOnceTheZoomRests(FxRobot robot) throws Exception {
        robot.moveTo(centreOf("details"));
        robot.scroll(2, javafx.geometry.VerticalDirection.UP);
        WaitForAsyncUtils.waitForFxEvents();
        // the view draws again by itself (no traffic dots here) once the zoom has rested
        WaitForAsyncUtils.waitFor(10, java.util.concurrent.TimeUnit.SECONDS,
                () -> Fx.call(() -> !view.drawer().lastFrameScaled()));
        assertThat(Fx.call(() -> view.drawer().scaledFrames())).isPositive();
    }

    @Test
    void draggingTheBackgroundPans(FxRobot robot) {
        Viewport before = viewport();
        Point2D empty = Fx.call(() -> view.localToScreen(8, 690));
        robot.drag(empty, MouseButton.PRIMARY).moveBy(120, -60).drop();
        WaitForAsyncUtils.waitForFxEvents();
        Viewport after = viewport();
        assertThat(after.scale()).isEqualTo(before.scale());
        assertThat(after.offsetX() - before.offsetX()).isCloseTo(120, within(2.0));
        assertThat(after.offsetY() - before.offsetY()).isCloseTo(-60, within(2.0));
    }

    @Test
    void keysPanZoomAndFit(FxRobot robot) {
        Viewport fit = viewport();
        robot.type(KeyCode.RIGHT);
        assertThat(viewport().offsetX()).isCloseTo(fit.offsetX() - 60, within(0.01));
        robot.type(KeyCode.ADD);
        assertThat(viewport().scale()).isCloseTo(fit.scale() * 1.25, within(1e-9));
        robot.type(KeyCode.DIGIT0);
        assertThat(viewport()).isEqualTo(fit);
    }

    @Test
    void clickingANodeSelectsIt(FxRobot robot) {
        robot.clickOn(centreOf("ratings"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(selected).extracting(GraphNode::id).containsExactly("ratings");
        assertThat(Fx.call(() -> view.getViewState().selectedNode())).isEqualTo("ratings");
    }

    @Test
    void doubleClickingANodeTellsTheListener(FxRobot robot) {
        robot.doubleClickOn(centreOf("details-v1"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(doubleClicked).extracting(GraphNode::id).contains("details-v1");
    }

    @Test
    void droppingANodeOnAnotherFiresNodeDroppedOnNode(FxRobot robot) {
        robot.drag(centreOf("reviews-v1"), MouseButton.PRIMARY).moveTo(centreOf("ratings-v1")).drop();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(drops).hasSize(1);
        assertThat(drops.get(0).source().id()).isEqualTo("reviews-v1");
        assertThat(drops.get(0).target().id()).isEqualTo("ratings-v1");
    }

    @Test
    void droppingANodeOnTheBackgroundMovesAndPinsIt(FxRobot robot) {
        Point2D from = centreOf("ratings");
        robot.drag(from, MouseButton.PRIMARY).moveBy(0, 90).drop();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(drops).isEmpty();
        assertThat(Fx.call(() -> view.getLayout().isPinned("ratings"))).isTrue();
        assertThat(centreOf("ratings").getY()).isCloseTo(from.getY() + 90, within(2.0));
    }

    @Test
    void draggingASplitHandleReportsTheNewWeights(FxRobot robot) {
        Fx.run(() -> view.setViewport(Viewport.IDENTITY.zoomAt(1, 0, 0)));
        Point2D handle = Fx.call(() -> {
            SplitBar bar = view.getSceneModel().splitBarOf("reviews");
            Viewport vp = Viewport.IDENTITY;
            view.setViewport(vp.centeredOn(bar.handleX(0), bar.bar().center().y(), view.getWidth(), view.getHeight()));
            Viewport v = view.getViewport();
            return view.localToScreen(v.toScreenX(bar.handleX(0)), v.toScreenY(bar.bar().center().y()));
        });
        double barWidth = Fx.call(() -> view.getSceneModel().splitBarOf("reviews").bar().width());
        // 34 / 33 / 33 → move the first handle right by a sixth of the bar: v1 takes half of v2's share
        robot.drag(handle, MouseButton.PRIMARY).moveBy(barWidth / 6, 0).drop();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(splits).isNotEmpty();
        SplitWeightsDragged last = splits.get(splits.size() - 1);
        assertThat(last.finished()).isTrue();
        assertThat(last.serviceId()).isEqualTo("reviews");
        assertThat(last.weights().get("v1")).isCloseTo(50, within(2.0));
        assertThat(last.weights().get("v1") + last.weights().get("v2")).isEqualTo(67);
        assertThat(last.weights().get("v3")).isEqualTo(33);
    }

    @Test
    void ctrlFFindsNodesByName(FxRobot robot) {
        robot.press(KeyCode.CONTROL).type(KeyCode.F).release(KeyCode.CONTROL);
        robot.write("rating");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(Fx.call(view::findMatches)).hasSize(2);
        assertThat(Fx.call(() -> view.getViewState().findQuery())).isEqualTo("rating");
    }
}
