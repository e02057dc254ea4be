package dev.meshdeck.viz.render;

import dev.meshdeck.viz.render.internal.Raster;
import dev.meshdeck.viz.view.Painter;
import javafx.geometry.Rectangle2D;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.scene.shape.ArcType;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

import java.nio.IntBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link Painter} on JavaFX canvases; colours and fonts are cached. Inside the edge layer, lines,
 * triangles and small discs go to a {@link Raster} in plain Java, shown as one image by an
 * {@link ImageView} under the edge plane's canvas: the software pipeline's cost per shape would otherwise
 * dominate a frame of thousands of edges, and showing the image directly spares drawing it into a canvas
 * first. Two rasters alternate, so the one being written is never the one the render thread may still be
 * reading from the previous frame.
 *
 * <p>The planes of the picture go to three stacked canvases, and a plane whose key has not changed is not
 * drawn again: while traffic dots move, only the edge plane gets new commands (the kept edge raster, the
 * dots, one image), and JavaFX shows the other two canvases as they are.
 */
final class CanvasPainter implements Painter {

    private static final double[] NO_DASHES = null;
    /** Discs up to this radius go to the raster inside the layer. */
    private static final double RASTER_DISC_MAX = 6;

    /** The surface of each plane ({@link Plane} order) and what each shows now (its key). */
    private final GraphicsContext[] planes;
    private final Object[] shown = new Object[Plane.values().length];
    private final boolean[] drawnOn = new boolean[Plane.values().length];
    /** The viewport offset a moving plane was drawn for (x, y by plane), and the margin it was drawn with. */
    private final double[] drawnAt = new double[2 * Plane.values().length];
    private final double[] drawnMargin = new double[Plane.values().length];
    private final double margin;
    /** Shows the edge raster, right below the edge plane's canvas. */
    private final ImageView rasterView;
    private GraphicsContext gc;
    private int plane;
    private final Map<Integer, Color> colours = new HashMap<>();
    private final Map<Integer, Font> fonts = new HashMap<>();
    private final Layer[] layers = new Layer[2];
    private int current;
    private Layer layer;
    /** The still part of the edge layer of an earlier frame, and what it was drawn for. */
    private Raster kept;
    private Object keptKey;
    private boolean anyLine;
    private int lineColour;
    private double lineWidth;

    /** A raster, the image that shows its pixels, and the rectangle of them it shows (x, y, w, h). */
    private record Layer(Raster raster, PixelBuffer<IntBuffer> buffer, WritableImage image, int[] shown) {
        static Layer of(int w, int h) {
            Raster r = new Raster(w, h);
            PixelBuffer<IntBuffer> b = new PixelBuffer<>(w, h, IntBuffer.wrap(r.pixels()),
                    PixelFormat.getIntArgbPreInstance());
            return new Layer(r, b, new WritableImage(b), new int[4]);
        }
    }

    /**
     * A painter whose three planes go to three stacked canvases, bottom to top; the edge plane's canvas is
     * the screen's size and sets it, the other two are sized by this painter: the screen's size, or up to
     * {@code 2 * margin} pixels wider and higher while a pan moves them (see {@link #beginMovingPlane}).
     */
    CanvasPainter(GraphicsContext background, ImageView rasterView, GraphicsContext edges,
                  GraphicsContext foreground, double margin) {
        if (!(margin >= 0)) {
            throw new IllegalArgumentException("margin: " + margin + " (expected: >= 0 pixels)");
        }
        this.planes = new GraphicsContext[] {background, edges, foreground};
        this.rasterView = rasterView;
        this.gc = background;
        this.margin = margin;
    }

    @Override
    public double planeMargin() {
        return margin;
    }

    /**
     * Shows the plane's canvas moved when it holds the picture of an equal key drawn at an offset that differs
     * from this one by whole pixels, at most the margin it was drawn with each way: a pan costs no drawing at
     * all, and JavaFX composes the moved canvas as it is. A canvas with something drawn in its margin is
     * clipped to the screen (it would hang over the controls around the view); as a clip makes every frame
     * dearer to compose (about 5 ms at 1600 x 1000 in the software pipeline), a plane drawn with a margin is
     * drawn again without one as soon as the caller asks for none (the pan stopped), and is then unclipped.
     */
    @Override
    public boolean beginMovingPlane(Plane p, Object key, double offsetX, double offsetY, double drawMargin) {
        int i = p.ordinal();
        Canvas c = planes[i].getCanvas();
        boolean dropMargin = drawMargin == 0 && drawnMargin[i] > 0;
        if (key != null && key.equals(shown[i]) && !dropMargin) {
            double dx = offsetX - drawnAt[2 * i];
            double dy = offsetY - drawnAt[2 * i + 1];
            long rx = Math.round(dx);
            long ry = Math.round(dy);
            if (Math.abs(dx - rx) < 1e-6 && Math.abs(dy - ry) < 1e-6 && Math.abs(rx) <= drawnMargin[i]
                    && Math.abs(ry) <= drawnMargin[i]) {
                plane = i;
                gc = planes[i];
                c.setTranslateX(rx - drawnMargin[i]);
                c.setTranslateY(ry - drawnMargin[i]);
                return false;
            }
        }
        shown[i] = null; // drawn again below, whatever the key
        double m = Math.min(margin, drawMargin);
        // the canvas is the screen's size and the margin more: larger canvases cost more to compose
        Canvas screen = planes[Plane.EDGES.ordinal()].getCanvas();
        c.setWidth(screen.getWidth() + 2 * m);
        c.setHeight(screen.getHeight() + 2 * m);
        boolean draw = beginPlane(p, key);
        drawnAt[2 * i] = offsetX;
        drawnAt[2 * i + 1] = offsetY;
        drawnMargin[i] = m;
        // drawn without a margin, the canvas lies where the screen is, untransformed (JavaFX composes it
        // faster so)
        c.setTranslateX(-drawnMargin[i]);
        c.setTranslateY(-drawnMargin[i]);
        c.setClip(drawnMargin[i] > 0 ? screenClip(c) : null);
        return draw;
    }

    /** A clip that shows of {@code c} what lies over the screen (the edge plane's canvas), wherever c is moved. */
    private Rectangle screenClip(Canvas c) {
        if (c.getClip() instanceof Rectangle r) {
            return r;
        }
        Canvas screen = planes[Plane.EDGES.ordinal()].getCanvas();
        Rectangle r = new Rectangle();
        r.xProperty().bind(c.translateXProperty().negate());
        r.yProperty().bind(c.translateYProperty().negate());
        r.widthProperty().bind(screen.widthProperty());
        r.heightProperty().bind(screen.heightProperty());
        return r;
    }

    @Override
    public boolean beginPlane(Plane p, Object key) {
        plane = p.ordinal();
        gc = planes[plane];
        if (key != null && key.equals(shown[plane])) {
            return false;
        }
        shown[plane] = key;
        // a canvas that gets no command is not rendered again: clear only what has something on it
        if (drawnOn[plane]) {
            gc.clearRect(0, 0, gc.getCanvas().getWidth(), gc.getCanvas().getHeight());
            drawnOn[plane] = false;
        }
        return true;
    }

    @Override
    public void clear(double width, double height, int argb) {
        g().setFill(colour(argb));
        g().fillRect(0, 0, width, height);
    }

    /** The surface of the current plane, marked as drawn on (so that the plane is cleared when redrawn). */
    private GraphicsContext g() {
        drawnOn[plane] = true;
        return gc;
    }

    @Override
    public void beginLayer() {
        int w = (int) Math.ceil(gc.getCanvas().getWidth());
        int h = (int) Math.ceil(gc.getCanvas().getHeight());
        if (w < 1 || h < 1) {
            rasterView.setImage(null);
            return;
        }
        current = 1 - current;
        Layer l = layers[current];
        if (l == null || l.raster().width() != w || l.raster().height() != h) {
            l = Layer.of(w, h);
            layers[current] = l;
        } else {
            l.raster().clear();
        }
        layer = l;
    }

    @Override
    public boolean restoreLayer(Object key) {
        if (layer == null || kept == null || !key.equals(keptKey) || kept.width() != layer.raster().width()
                || kept.height() != layer.raster().height()) {
            return false;
        }
        layer.raster().copyFrom(kept);
        return true;
    }

    @Override
    public boolean restoreLayerShifted(Object keptKey, int dx, int dy) {
        if (layer == null || kept == null || !keptKey.equals(this.keptKey) || kept.width() != layer.raster().width()
                || kept.height() != layer.raster().height()) {
            return false;
        }
        layer.raster().copyShifted(kept, dx, dy);
        return true;
    }

    @Override
    public void clipLayer(int x, int y, int w, int h) {
        if (layer != null) {
            layer.raster().clipTo(x, y, w, h);
        }
    }

    @Override
    public void unclipLayer() {
        if (layer != null) {
            layer.raster().clipTo(0, 0, layer.raster().width(), layer.raster().height());
        }
    }

    @Override
    public void keepLayer(Object key) {
        if (layer == null) {
            return;
        }
        Raster r = layer.raster();
        if (kept == null || kept.width() != r.width() || kept.height() != r.height()) {
            kept = new Raster(r.width(), r.height());
        }
        kept.copyFrom(r);
        keptKey = key;
    }

    @Override
    public void endLayer() {
        Layer l = layer;
        layer = null;
        if (l == null) {
            return;
        }
        // the image must show the new pixels and the cleared ones of this layer's previous frame
        int[] d = l.raster().dirtyRect();
        int[] o = l.shown();
        int x0 = Math.min(d[2] == 0 ? Integer.MAX_VALUE : d[0], o[2] == 0 ? Integer.MAX_VALUE : o[0]);
        int y0 = Math.min(d[2] == 0 ? Integer.MAX_VALUE : d[1], o[2] == 0 ? Integer.MAX_VALUE : o[1]);
        int x1 = Math.max(d[0] + d[2], o[0] + o[2]);
        int y1 = Math.max(d[1] + d[3], o[1] + o[3]);
        if (x0 < x1 && y0 < y1) {
            Rectangle2D changed = new Rectangle2D(x0, y0, x1 - x0, y1 - y0);
            l.buffer().updateBuffer(b -> changed);
        }
        System.arraycopy(d, 0, o, 0, 4);
        rasterView.setImage(l.image());
    }

    @Override
    public void fillRect(double x, double y, double w, double h, int argb) {
        g().setFill(colour(argb));
        g().fillRect(x, y, w, h);
    }

    @Override
    public void fillRoundRect(double x, double y, double w, double h, double arc, int argb) {
        g().setFill(colour(argb));
        g().fillRoundRect(x, y, w, h, arc, arc);
    }

    @Override
    public void strokeRoundRect(double x, double y, double w, double h, double arc, int argb, double lineWidth) {
        g().setStroke(colour(argb));
        g().setLineWidth(lineWidth);
        g().setLineDashes(NO_DASHES);
        g().strokeRoundRect(x, y, w, h, arc, arc);
    }

    @Override
    public void fillOval(double cx, double cy, double r, int argb) {
        if (layer != null && r <= RASTER_DISC_MAX) {
            layer.raster().disc(cx, cy, r, argb);
            return;
        }
        g().setFill(colour(argb));
        g().fillOval(cx - r, cy - r, 2 * r, 2 * r);
    }

    @Override
    public void fillPolygon(double[] xs, double[] ys, int n, int argb) {
        if (layer != null && n == 3) {
            layer.raster().triangle(xs[0], ys[0], xs[1], ys[1], xs[2], ys[2], argb);
            return;
        }
        g().setFill(colour(argb));
        g().fillPolygon(xs, ys, n);
    }

    @Override
    public void strokeArc(double cx, double cy, double r, double startDeg, double extentDeg, int argb,
                          double lineWidth) {
        g().setStroke(colour(argb));
        g().setLineWidth(lineWidth);
        g().setLineDashes(NO_DASHES);
        g().strokeArc(cx - r, cy - r, 2 * r, 2 * r, startDeg, extentDeg, ArcType.OPEN);
    }

    @Override
    public void beginLines(int argb, double lineWidth, boolean dashed) {
        lineColour = argb;
        this.lineWidth = lineWidth;
        if (layer != null) {
            return;
        }
        g().setStroke(colour(argb));
        g().setLineWidth(lineWidth);
        if (dashed) {
            g().setLineDashes(lineWidth * 4, lineWidth * 3);
        } else {
            g().setLineDashes(NO_DASHES);
        }
        g().beginPath();
        anyLine = false;
    }

    @Override
    public void line(double x1, double y1, double x2, double y2) {
        if (layer != null) {
            layer.raster().line(x1, y1, x2, y2, lineColour, lineWidth);
            return;
        }
        g().moveTo(x1, y1);
        g().lineTo(x2, y2);
        anyLine = true;
    }

    @Override
    public void endLines() {
        if (layer != null) {
            return;
        }
        if (anyLine) {
            g().stroke();
        }
        g().setLineDashes(NO_DASHES);
    }

    @Override
    public void text(String s, double x, double y, double size, boolean bold, int argb, Align align) {
        g().setFont(font(size, bold));
        g().setFill(colour(argb));
        g().setTextAlign(switch (align) {
            case LEFT -> TextAlignment.LEFT;
            case CENTER -> TextAlignment.CENTER;
            case RIGHT -> TextAlignment.RIGHT;
        });
        g().fillText(s, x, y);
    }

    private Color colour(int argb) {
        return colours.computeIfAbsent(argb, CanvasPainter::fx);
    }

    /** The JavaFX colour of {@code 0xAARRGGBB}. */
    static Color fx(int argb) {
        return Color.rgb((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF, ((argb >>> 24) & 0xFF) / 255.0);
    }

    private Font font(double size, boolean bold) {
        int key = (int) Math.round(size * 2) * 2 + (bold ? 1 : 0);
        return fonts.computeIfAbsent(key, k -> Font.font("System", (k & 1) == 1 ? FontWeight.BOLD : FontWeight.NORMAL,
                (k >> 1) / 2.0));
    }
}
