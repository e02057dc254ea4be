package dev.meshdeck.viz.render;

import dev.meshdeck.viz.view.SceneDrawer;
import dev.meshdeck.viz.view.SceneModel;
import dev.meshdeck.viz.view.SvgPainter;
import dev.meshdeck.viz.view.ViewOptions;
import dev.meshdeck.viz.view.ViewState;
import dev.meshdeck.viz.view.Viewport;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.WritableImage;

/**
 * Draws a scene on a {@link Canvas} through {@link SceneDrawer}, and the same picture as SVG. Call on the
 * JavaFX application thread; one renderer per canvas (the drawer keeps per-scene caches).
 */
public final class TopologyCanvasRenderer {

    private final Canvas canvas;
    private final SceneDrawer drawer = new SceneDrawer();
    private final CanvasPainter painter;

    public TopologyCanvasRenderer(Canvas canvas) {
        this.canvas = canvas;
        this.painter = new CanvasPainter(canvas.getGraphicsContext2D());
    }

    public Canvas canvas() {
        return canvas;
    }

    /** The drawer, for what it knows of the last frame (which nodes and edges the filter let through). */
    public SceneDrawer drawer() {
        return drawer;
    }

    /** Draws one frame on the whole canvas; {@code seconds} is the animation clock of the traffic dots. */
    public void render(SceneModel scene, ViewState state, ViewOptions options, Viewport viewport, double seconds) {
        drawer.draw(scene, state, options, viewport, canvas.getWidth(), canvas.getHeight(), seconds, painter);
    }

    /** The canvas as an image (renders the pending drawing commands). */
    public WritableImage snapshot() {
        return snapshot(null);
    }

    /** Like {@link #snapshot()}, into {@code reuse} when it has the canvas's size (saves an allocation per frame). */
    public WritableImage snapshot(WritableImage reuse) {
        return canvas.snapshot(new SnapshotParameters(), reuse);
    }

    /** The picture {@link #render} draws, as an SVG document of the canvas's size. */
    public String svg(SceneModel scene, ViewState state, ViewOptions options, Viewport viewport, double seconds) {
        SvgPainter svg = new SvgPainter();
        new SceneDrawer().draw(scene, state, options, viewport, canvas.getWidth(), canvas.getHeight(), seconds, svg);
        return svg.document();
    }
}
