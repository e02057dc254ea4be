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

/**
 * Draws a scene through {@link SceneDrawer} on stacked canvases (background and group boxes; edges and
 * traffic dots, mostly as one image; highlights, nodes and labels: see {@link CanvasPainter}), and the
 * same picture as SVG.
 * The given canvas is the bottom one: it sets the size and gets the mouse events, and is not drawn on; the
 * planes above it follow its size (the background and the foreground with a margin around it while a pan
 * moves them: see {@link CanvasPainter#beginMovingPlane}) and let mouse events through to it. Put {@link #view()} in the scene. Call on the JavaFX application thread; one
 * renderer per canvas (the drawer and the painter keep what they drew last).
 */
public final class TopologyCanvasRenderer {

    /**
     * How far beyond the screen the background and foreground planes are drawn: a pan of up to this many
     * pixels from where they were drawn moves them instead of drawing them again.
     */
    static final double PAN_MARGIN = 192;

    private final Canvas canvas;
    private final Group view;
    private final SceneDrawer drawer = new SceneDrawer();
    private final CanvasPainter painter;

    public TopologyCanvasRenderer(Canvas canvas) {
        this.canvas = canvas;
        ImageView raster = new ImageView();
        raster.setMouseTransparent(true);
        Canvas background = movingPlane();
        Canvas edges = plane(canvas);
        Canvas foreground = movingPlane();
        // the bottom canvas only takes the mouse events: fully transparent, JavaFX does not compose it
        canvas.setOpacity(0);
        this.view = new Group(canvas, background, raster, edges, foreground);
        this.painter = new CanvasPainter(background.getGraphicsContext2D(), raster, edges.getGraphicsContext2D(),
                foreground.getGraphicsContext2D(), PAN_MARGIN);
    }

    /** A plane's canvas: the bottom canvas's size. */
    private static Canvas plane(Canvas bottom) {
        Canvas c = new Canvas();
        c.widthProperty().bind(bottom.widthProperty());
        c.heightProperty().bind(bottom.heightProperty());
        c.setMouseTransparent(true);
        return c;
    }

    /** A plane's canvas that the painter sizes and moves (the screen's size, with a margin while panning). */
    private static Canvas movingPlane() {
        Canvas c = new Canvas();
        c.setMouseTransparent(true);
        return c;
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
