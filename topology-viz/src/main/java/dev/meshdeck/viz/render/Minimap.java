package dev.meshdeck.viz.render;

import dev.meshdeck.viz.layout.Rect;
import dev.meshdeck.viz.view.SceneModel;
import dev.meshdeck.viz.view.Styling;
import dev.meshdeck.viz.view.Viewport;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;

import java.util.function.BiConsumer;

/**
 * The overview in a corner of a large graph: every node as a dot in its health colour (drawn once per
 * scene) and the visible part as a rectangle (drawn every frame on a second canvas). Pressing or dragging
 * on it centres the view there.
 */
final class Minimap extends Pane {

    static final double WIDTH = 220;
    static final double HEIGHT = 150;

    private final Canvas base = new Canvas(WIDTH, HEIGHT);
    private final Canvas overlay = new Canvas(WIDTH, HEIGHT);
    private Viewport fit = Viewport.IDENTITY;
    private SceneModel drawn;

    /** {@code onCentre} receives the world point to centre the main view on. */
    Minimap(BiConsumer<Double, Double> onCentre) {
        getChildren().addAll(base, overlay);
        setPrefSize(WIDTH, HEIGHT);
        setMinSize(WIDTH, HEIGHT);
        setMaxSize(WIDTH, HEIGHT);
        setStyle("-fx-border-color: #b8bbbe; -fx-border-width: 1; -fx-background-color: rgba(255,255,255,0.92);");
        overlay.setOnMousePressed(e -> {
            onCentre.accept(fit.toWorldX(e.getX()), fit.toWorldY(e.getY()));
            e.consume();
        });
        overlay.setOnMouseDragged(e -> {
            onCentre.accept(fit.toWorldX(e.getX()), fit.toWorldY(e.getY()));
            e.consume();
        });
    }

    /** Redraws the dots if the scene changed, and the visible rectangle always. */
    void update(SceneModel scene, Viewport main, double mainWidth, double mainHeight) {
        if (scene != drawn) {
            drawn = scene;
            drawBase(scene);
        }
        GraphicsContext g = overlay.getGraphicsContext2D();
        g.clearRect(0, 0, WIDTH, HEIGHT);
        Rect visible = main.visibleWorld(mainWidth, mainHeight);
        double x = fit.toScreenX(visible.minX());
        double y = fit.toScreenY(visible.minY());
        double w = visible.width() * fit.scale();
        double h = visible.height() * fit.scale();
        g.setFill(Color.rgb(0, 102, 204, 0.12));
        g.fillRect(x, y, w, h);
        g.setStroke(Color.rgb(0, 102, 204));
        g.setLineWidth(1.5);
        g.strokeRect(x, y, w, h);
    }

    private void drawBase(SceneModel scene) {
        GraphicsContext g = base.getGraphicsContext2D();
        g.clearRect(0, 0, WIDTH, HEIGHT);
        fit = Viewport.fit(scene.bounds(), WIDTH, HEIGHT, 6);
        for (Rect r : scene.namespaceBoxes().values()) {
            g.setFill(CanvasPainter.fx(Styling.NAMESPACE_BOX_FILL));
            g.fillRect(fit.toScreenX(r.minX()), fit.toScreenY(r.minY()), r.width() * fit.scale(), r.height() * fit.scale());
        }
        for (int i = 0; i < scene.graph().nodeCount(); i++) {
            Rect r = scene.nodeBox(i);
            if (r == null) {
                continue;
            }
            g.setFill(CanvasPainter.fx(Styling.healthColour(scene.graph().nodeAt(i).health())));
            g.fillRect(fit.toScreenX(r.minX()), fit.toScreenY(r.minY()), Math.max(1.5, r.width() * fit.scale()),
                    Math.max(1.5, r.height() * fit.scale()));
        }
    }
}
