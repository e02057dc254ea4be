package dev.meshdeck.viz.render;

import dev.meshdeck.viz.view.Painter;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.shape.ArcType;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

import java.util.HashMap;
import java.util.Map;

/** A {@link Painter} on a JavaFX {@link GraphicsContext}; colours and fonts are cached. */
final class CanvasPainter implements Painter {

    private static final double[] NO_DASHES = null;

    private final GraphicsContext gc;
    private final Map<Integer, Color> colours = new HashMap<>();
    private final Map<Integer, Font> fonts = new HashMap<>();
    private boolean anyLine;

    CanvasPainter(GraphicsContext gc) {
        this.gc = gc;
    }

    @Override
    public void clear(double width, double height, int argb) {
        gc.setFill(colour(argb));
        gc.fillRect(0, 0, width, height);
    }

    @Override
    public void fillRect(double x, double y, double w, double h, int argb) {
        gc.setFill(colour(argb));
        gc.fillRect(x, y, w, h);
    }

    @Override
    public void fillRoundRect(double x, double y, double w, double h, double arc, int argb) {
        gc.setFill(colour(argb));
        gc.fillRoundRect(x, y, w, h, arc, arc);
    }

    @Override
    public void strokeRoundRect(double x, double y, double w, double h, double arc, int argb, double lineWidth) {
        gc.setStroke(colour(argb));
        gc.setLineWidth(lineWidth);
        gc.setLineDashes(NO_DASHES);
        gc.strokeRoundRect(x, y, w, h, arc, arc);
    }

    @Override
    public void fillOval(double cx, double cy, double r, int argb) {
        gc.setFill(colour(argb));
        gc.fillOval(cx - r, cy - r, 2 * r, 2 * r);
    }

    @Override
    public void fillPolygon(double[] xs, double[] ys, int n, int argb) {
        gc.setFill(colour(argb));
        gc.fillPolygon(xs, ys, n);
    }

    @Override
    public void strokeArc(double cx, double cy, double r, double startDeg, double extentDeg, int argb,
                          double lineWidth) {
        gc.setStroke(colour(argb));
        gc.setLineWidth(lineWidth);
        gc.setLineDashes(NO_DASHES);
        gc.strokeArc(cx - r, cy - r, 2 * r, 2 * r, startDeg, extentDeg, ArcType.OPEN);
    }

    @Override
    public void beginLines(int argb, double lineWidth, boolean dashed) {
        gc.setStroke(colour(argb));
        gc.setLineWidth(lineWidth);
        if (dashed) {
            gc.setLineDashes(lineWidth * 4, lineWidth * 3);
        } else {
            gc.setLineDashes(NO_DASHES);
        }
        gc.beginPath();
        anyLine = false;
    }

    @Override
    public void line(double x1, double y1, double x2, double y2) {
        gc.moveTo(x1, y1);
        gc.lineTo(x2, y2);
        anyLine = true;
    }

    @Override
    public void endLines() {
        if (anyLine) {
            gc.stroke();
        }
        gc.setLineDashes(NO_DASHES);
    }

    @Override
    public void text(String s, double x, double y, double size, boolean bold, int argb, Align align) {
        gc.setFont(font(size, bold));
        gc.setFill(colour(argb));
        gc.setTextAlign(switch (align) {
            case LEFT -> TextAlignment.LEFT;
            case CENTER -> TextAlignment.CENTER;
            case RIGHT -> TextAlignment.RIGHT;
        });
        gc.fillText(s, x, y);
    }

    private Color colour(int argb) {
        return colours.computeIfAbsent(argb, c -> Color.rgb((c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF,
                ((c >>> 24) & 0xFF) / 255.0));
    }

    private Font font(double size, boolean bold) {
        int key = (int) Math.round(size * 2) * 2 + (bold ? 1 : 0);
        return fonts.computeIfAbsent(key, k -> Font.font("System", (k & 1) == 1 ? FontWeight.BOLD : FontWeight.NORMAL,
                (k >> 1) / 2.0));
    }
}
