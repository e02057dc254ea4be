package dev.meshdeck.console.viz;

import dev.meshdeck.viz.layout.Layout;
import dev.meshdeck.viz.layout.LayoutAlgorithm;
import dev.meshdeck.viz.model.TopologyGraph;
import dev.meshdeck.viz.render.FxPlatform;
import dev.meshdeck.viz.render.PngWriter;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Starts JavaFX from the plain {@code meshdeck} main class (an {@code Application} subclass cannot be the
 * main class of a class-path launch) and opens the viewer window, or renders one picture and exits.
 */
public final class VizLauncher {

    /** What to show and how. */
    public record Request(TopologyGraph graph, Layout layout, LayoutAlgorithm algorithm, boolean collapseAll,
                          int width, int height, String title) {
    }

    private VizLauncher() {
    }

    /** Opens the viewer window and returns when the user closed it. */
    public static void show(Request request) throws InterruptedException {
        FxPlatform.startOnce();
        CountDownLatch closed = new CountDownLatch(1);
        FxPlatform.call(() -> {
            Stage stage = new Stage();
            TopologyViewer viewer = new TopologyViewer(request.graph(), request.layout(), request.algorithm(),
                    request.collapseAll());
            stage.setScene(new Scene(viewer, request.width(), request.height()));
            stage.setTitle(request.title());
            stage.setOnHidden(e -> closed.countDown());
            stage.show();
            viewer.view().requestFocus();
            return null;
        });
        closed.await();
        Platform.exit();
    }

    /**
     * Renders the viewer (tool bar, fitted graph, status line) at the requested size into a PNG file, with
     * no window: headless when there is no display. JavaFX stays up (the command line's exit ends it), so
     * that one process can take several pictures.
     */
    public static void screenshot(Request request, Path png) {
        FxPlatform.startOnce();
        FxPlatform.call(() -> {
            TopologyViewer viewer = new TopologyViewer(request.graph(), request.layout(), request.algorithm(),
                    request.collapseAll());
            var view = viewer.view();
            view.setOptions(view.getOptions().withTrafficDots(false));
            Scene scene = new Scene(viewer, request.width(), request.height());
            viewer.applyCss();
            viewer.layout();
            view.fitToView();
            view.renderNow();
            try {
                PngWriter.write(scene.snapshot(null), png);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return scene;
        });
    }
}
