package dev.meshdeck.viz.render;

import dev.meshdeck.viz.view.SceneDrawer;
import dev.meshdeck.viz.view.SceneModel;
import dev.meshdeck.viz.view.SvgPainter;
import dev.meshdeck.viz.view.ViewOptions;
import dev.meshdeck.viz.view.ViewState;
import dev.meshdeck.viz.view.Viewport;
import javafx.geometry.Bounds;
import javafx.geometry.Rectangle2D;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Draws a scene through {@link SceneDrawer} as one image on the screen (the still picture put together
 * off-screen and kept as pixels, the traffic dots drawn over a copy of it: see {@link CanvasPainter}), and
 * the same picture as SVG.
 * The given canvas is the bottom one: it sets the size and gets the mouse events, and is not drawn on; the
 * image above it has its size and lets mouse events through to it. Put {@link #view()} in the scene. Call
 * on the JavaFX application thread; one renderer per canvas (the drawer and the painter keep what they drew
 * last). Only the raster of the still picture's background and edges may be drawn on another thread (see
 * {@link #TopologyCanvasRenderer(Canvas, Executor)}).
 */
public final class TopologyCanvasRenderer {

    /**
     * How far beyond the screen the still picture is drawn while panning: a pan of up to this many pixels
     * from where it was drawn moves it instead of drawing it again.
     */
    static final double PAN_MARGIN = 192;

    private final Canvas canvas;
    private final Group view;
    private final SceneDrawer drawer = new SceneDrawer();
    private final CanvasPainter painter;

    /**
     * A renderer on {@code canvas} that draws the whole picture on the calling thread: when a drawing call
     * returns, the picture is on the screen (for tests, snapshots and the benchmark's frames).
     */
    public TopologyCanvasRenderer(Canvas canvas) {
        this(canvas, Runnable::run);
    }

    /**
     * A renderer on {@code canvas} that draws the raster of the still picture's background and edges (the
     * bulk of a zoom's end or a new snapshot) on {@code stillExecutor}: one thread at a time, in the order
     * given (a single-thread executor; {@code Runnable::run} draws on the calling thread). Until that picture
     * is ready, {@link #stillPending()} is true and the screen shows the one before it, moved and scaled.
     */
    public TopologyCanvasRenderer(Canvas canvas, Executor stillExecutor) {
        this.canvas = canvas;
        ImageView display = new ImageView();
        display.setMouseTransparent(true);
        // the bottom canvas only takes the mouse events: fully transparent, JavaFX does not compose it
        canvas.setOpacity(0);
        this.view = new Group(canvas, display);
        this.painter = new CanvasPainter(canvas, display, PAN_MARGIN, stillExecutor);
    }

    /** How many times the still picture was put together off-screen and read back (for tests). */
    long stillCompositions() {
        return painter.stillCompositions();
    }

    /**
     * Whether the still picture is being drawn on the executor: draw again (on a later pulse) until it is
     * not, and the screen shows it.
     */
    public boolean stillPending() {
        return painter.stillPending();
    }

    /** Waits (the calling thread) up to {@code timeout} for the pending still picture; the next frame shows it. */
    public void awaitStill(Duration timeout) {
        painter.awaitStill(timeout);
    }

    /** Gives up the pending still picture (its executor stops): the next frame draws it again. */
    public void discardPending() {
        painter.discardPending();
    }

    /** How many times JavaFX rendered text masks (for tests: a text drawn again is not rendered again). */
    long textRenderings() {
        return painter.textRenderings();
    }

    /** The bottom canvas: it sets the size and receives the mouse events. */
    public Canvas canvas() {
        return canvas;
    }

    /** The stacked canvases, the node to put in the scene. */
    public Node view() {
        return view;
    }

    /** The drawer, for what it knows of the last frame (which nodes and edges the filter let through). */
    public SceneDrawer drawer() {
        return drawer;
    }

    /** Draws one frame on the whole canvas; {@code seconds} is the animation clock of the traffic dots. */
    public void render(SceneModel scene, ViewState state, ViewOptions options, Viewport viewport, double seconds) {
        drawer.draw(scene, state, options, viewport, canvas.getWidth(), canvas.getHeight(), seconds, painter);
    }

    /** The picture as an image (renders the pending drawing commands of the stacked canvases). */
    public WritableImage snapshot() {
        return snapshot(null);
    }

    /** Like {@link #snapshot()}, into {@code reuse} when it has the canvas's size (saves an allocation per frame). */
    public WritableImage snapshot(WritableImage reuse) {
        // the screen's rectangle only: the moving planes' margins hang out of it
        Bounds screen = view.localToParent(canvas.getBoundsInParent());
        SnapshotParameters params = new SnapshotParameters();
        params.setViewport(new Rectangle2D(screen.getMinX(), screen.getMinY(), canvas.getWidth(),
                canvas.getHeight()));
        return view.snapshot(params, reuse);
    }

    /** The picture {@link #render} draws, as an SVG document of the canvas's size. */
    public String svg(SceneModel scene, ViewState state, ViewOptions options, Viewport viewport, double seconds) {
        SvgPainter svg = new SvgPainter();
        new SceneDrawer().draw(scene, state, options, viewport, canvas.getWidth(), canvas.getHeight(), seconds, svg);
        return svg.document();
    }
}
