package dev.meshdeck.viz.render;

import dev.meshdeck.viz.render.internal.Raster;
import dev.meshdeck.viz.view.Painter;
import javafx.geometry.Rectangle2D;
import javafx.scene.Group;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.scene.shape.ArcType;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link Painter} that shows the picture as one image: the still picture (background, group boxes, edges
 * and arrow heads in a {@link Raster} in plain Java; highlights, nodes and text on a canvas over it) is put
 * together off-screen and kept as pixels, and every frame copies those pixels (moved by a
 * pan, or scaled while a zoom is in motion) into the image on the screen and draws the traffic dots over
 * them in Java. The software pipeline pays for every full-size layer it composes on a frame (about 8 ms
 * each at 1600 x 1000) and for every shape it rasterizes: here a frame with moving dots composes one
 * opaque image and rasterizes nothing. Two screen rasters alternate, so the one being written is never the
 * one the render thread may still be reading from the previous frame.
 *
 * <p>The still picture's planes are drawn again only when their keys change (a hover draws only the
 * foreground canvas), and then composed once (a snapshot of the off-screen planes, read back as pixels).
 * While the user pans, the still picture is drawn with a margin around the screen and later frames show a
 * moved window of it, until the pan leaves the margin.
 */
final class CanvasPainter implements Painter {

    private static final double[] NO_DASHES = null;
    /** A zoom in motion shows the kept still picture scaled by at most this factor, or its inverse. */
    static final double MAX_MOTION_ZOOM = 2;

    private static final int BG = Plane.BACKGROUND.ordinal();
    private static final int EDGES = Plane.EDGES.ordinal();
    private static final int FG = Plane.FOREGROUND.ordinal();
    private static final int DOTS = Plane.DOTS.ordinal();

    /** The bottom canvas: the screen's size. */
    private final Canvas screen;
    /** The off-screen planes of the still picture: the raster of the background and edges, the foreground canvas. */
    private final GraphicsContext[] canvases = new GraphicsContext[Plane.values().length];
    private final ImageView edgeView = new ImageView();
    private final Group still;
    /** Shows the picture on the screen. */
    private final ImageView display;
    private final double margin;
    /** What each plane shows now (its key). */
    private final Object[] shown = new Object[Plane.values().length];
    private final boolean[] drawnOn = new boolean[Plane.values().length];
    private GraphicsContext gc;
    private int plane;
    /** Where the shapes of the current plane go when it is drawn in Java (edges, dots), else null. */
    private Raster target;
    private final Map<Integer, Color> colours = new HashMap<>();
    private final Map<Integer, Font> fonts = new HashMap<>();
    private Layer edges;
    private final Layer[] screens = new Layer[2];
    private int current;
    private Layer screenLayer;
    private int background = 0xFFFFFFFF;

    /** The kept still picture: its pixels, size, and what it was drawn for. */
    private WritableImage stillImage;
    private int[] stillPixels;
    private int stillWidth;
    private int stillHeight;
    private Object stillKey;
    private double stillScale;
    private double stillOffsetX;
    private double stillOffsetY;
    private double stillMargin;
    /** Whether a plane of the still picture begun last was drawn again (so it must be composed again). */
    private boolean stillDrawn;
    /** How the screen shows the still picture: moved by whole pixels, or scaled (a zoom in motion). */
    private int windowDx;
    private int windowDy;
    private boolean scaled;
    private double scaledOriginX;
    private double scaledOriginY;
    private double scaledStep;
    /** Whether the screen must be put together again even when the dots' key did not change. */
    private boolean screenStale = true;
    /** The strips of the still picture to draw after a scroll (x, y, w, h each), or null; the one being drawn. */
    private int[] regions;
    private int[] region;
    /** Whether the foreground canvas is clipped to a region (restored at the end of the plane). */
    private boolean clipped;
    /** Whether the raster of the background and edges was made ready for this still picture. */
    private boolean rasterBegun;
    private long stillCompositions;
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

        boolean fits(int w, int h) {
            return raster.width() == w && raster.height() == h;
        }

        /** Makes the image show the touched pixels and the ones cleared since it last showed. */
        void publish() {
            int[] d = raster.dirtyRect();
            int x0 = Math.min(d[2] == 0 ? Integer.MAX_VALUE : d[0], shown[2] == 0 ? Integer.MAX_VALUE : shown[0]);
            int y0 = Math.min(d[2] == 0 ? Integer.MAX_VALUE : d[1], shown[2] == 0 ? Integer.MAX_VALUE : shown[1]);
            int x1 = Math.max(d[0] + d[2], shown[0] + shown[2]);
            int y1 = Math.max(d[1] + d[3], shown[1] + shown[3]);
            if (x0 < x1 && y0 < y1) {
                Rectangle2D changed = new Rectangle2D(x0, y0, x1 - x0, y1 - y0);
                buffer.updateBuffer(b -> changed);
            }
            System.arraycopy(d, 0, shown, 0, 4);
        }
    }

    /**
     * A painter that shows the picture in {@code display}, at the size of {@code screen}; it draws the still
     * picture up to {@code margin} pixels beyond the screen on every side while a pan moves it (see
     * {@link #beginStill}).
     */
    CanvasPainter(Canvas screen, ImageView display, double margin) {
        if (!(margin >= 0)) {
            throw new IllegalArgumentException("margin: " + margin + " (expected: >= 0 pixels)");
        }
        this.screen = screen;
        this.display = display;
        this.margin = margin;
        Canvas front = new Canvas();
        canvases[FG] = front.getGraphicsContext2D();
        this.still = new Group(edgeView, front);
        this.gc = canvases[FG];
    }

    @Override
    public double planeMargin() {
        return margin;
    }

    /** How many times the still picture was put together from its planes (a snapshot read back as pixels). */
    long stillCompositions() {
        return stillCompositions;
    }

    private int screenWidth() {
        return (int) Math.ceil(screen.getWidth());
    }

    private int screenHeight() {
        return (int) Math.ceil(screen.getHeight());
    }

    @Override
    public boolean beginStill(Object key, double scale, double offsetX, double offsetY, double drawMargin) {
        stillDrawn = false;
        if (screenWidth() < 1 || screenHeight() < 1) {
            return false;
        }
        if (stillPixels != null && key.equals(stillKey) && scale == stillScale
                && stillWidth == screenWidth() + 2 * (int) stillMargin
                && stillHeight == screenHeight() + 2 * (int) stillMargin) {
            double dx = offsetX - stillOffsetX;
            double dy = offsetY - stillOffsetY;
            long rx = Math.round(dx);
            long ry = Math.round(dy);
            if (Math.abs(dx - rx) < 1e-6 && Math.abs(dy - ry) < 1e-6 && Math.abs(rx) <= stillMargin
                    && Math.abs(ry) <= stillMargin) {
                if (rx != windowDx || ry != windowDy || scaled) {
                    screenStale = true;
                }
                windowDx = (int) rx;
                windowDy = (int) ry;
                scaled = false;
                return false;
            }
            if (Math.abs(dx - rx) < 1e-6 && Math.abs(dy - ry) < 1e-6 && drawMargin > 0 && stillMargin > 0
                    && Math.abs(rx) < stillWidth / 2 && Math.abs(ry) < stillHeight / 2 && edges != null
                    && edges.fits(stillWidth, stillHeight)) {
                scroll((int) rx, (int) ry, offsetX, offsetY);
                return true;
            }
        }
        double m = Math.floor(Math.min(margin, drawMargin));
        int w = screenWidth() + 2 * (int) m;
        int h = screenHeight() + 2 * (int) m;
        Canvas c = canvases[FG].getCanvas();
        if (c.getWidth() != w || c.getHeight() != h) {
            c.setWidth(w);
            c.setHeight(h);
            Arrays.fill(shown, null);
        }
        rasterBegun = false;
        stillKey = key;
        stillScale = scale;
        stillMargin = m;
        showStillFrom(offsetX, offsetY);
        return true;
    }

    /** The still picture is (to be) drawn for this offset: the screen shows it unmoved from the next frame on. */
    private void showStillFrom(double offsetX, double offsetY) {
        stillOffsetX = offsetX;
        stillOffsetY = offsetY;
        windowDx = 0;
        windowDy = 0;
        scaled = false;
        screenStale = true;
    }

    /**
     * A pan left the margin: moves the kept pixels (and the raster of the background and edges) by the pan,
     * so that only the strips that came into view are drawn ({@link #stillRegions}) and composed.
     */
    private void scroll(int dx, int dy, double offsetX, double offsetY) {
        Raster.shift(stillPixels, stillWidth, stillHeight, dx, dy);
        edges.raster().shift(dx, dy);
        int w = stillWidth;
        int h = stillHeight;
        int x0 = Math.max(0, dx);
        int x1 = Math.min(w, w + dx);
        int[] columns = dx > 0 ? new int[] {0, 0, dx, h} : dx < 0 ? new int[] {w + dx, 0, -dx, h} : new int[0];
        int[] rows = dy > 0 ? new int[] {x0, 0, x1 - x0, dy} : dy < 0 ? new int[] {x0, h + dy, x1 - x0, -dy}
                : new int[0];
        regions = new int[columns.length + rows.length];
        System.arraycopy(columns, 0, regions, 0, columns.length);
        System.arraycopy(rows, 0, regions, columns.length, rows.length);
        showStillFrom(offsetX, offsetY);
        rasterBegun = true;
    }

    @Override
    public int[] stillRegions() {
        return regions;
    }

    @Override
    public void beginStillRegion(int x, int y, int width, int height) {
        region = new int[] {x, y, width, height};
        edges.raster().clipTo(x, y, width, height);
    }

    @Override
    public void endStillRegion() {
        region = null;
        edges.raster().clipTo(0, 0, stillWidth, stillHeight);
    }

    @Override
    public void endStill() {
        if (regions != null) {
            composeRegions();
            return;
        }
        if (!stillDrawn) {
            return;
        }
        int w = (int) canvases[FG].getCanvas().getWidth();
        int h = (int) canvases[FG].getCanvas().getHeight();
        SnapshotParameters params = new SnapshotParameters();
        params.setFill(fx(background));
        params.setViewport(new Rectangle2D(0, 0, w, h));
        if (stillImage == null || (int) stillImage.getWidth() != w || (int) stillImage.getHeight() != h) {
            stillImage = new WritableImage(w, h);
        }
        still.snapshot(params, stillImage);
        if (stillPixels == null || stillPixels.length != w * h) {
            stillPixels = new int[w * h];
        }
        stillImage.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbPreInstance(), stillPixels, 0, w);
        stillWidth = w;
        stillHeight = h;
        stillCompositions++;
    }

    /** Composes the regions drawn after a scroll and puts their pixels into the kept ones. */
    private void composeRegions() {
        int[] r = regions;
        regions = null;
        for (int i = 0; i + 3 < r.length; i += 4) {
            int w = r[i + 2];
            int h = r[i + 3];
            if (w <= 0 || h <= 0) {
                continue;
            }
            SnapshotParameters params = new SnapshotParameters();
            params.setFill(fx(background));
            params.setViewport(new Rectangle2D(r[i], r[i + 1], w, h));
            WritableImage part = still.snapshot(params, null);
            part.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbPreInstance(), stillPixels,
                    r[i + 1] * stillWidth + r[i], stillWidth);
        }
        // the foreground canvas holds the old picture outside the regions: draw all of it when next needed
        shown[FG] = null;
        stillCompositions++;
    }

    @Override
    public boolean showStillScaled(Object key, double scale, double offsetX, double offsetY) {
        if (stillPixels == null || !key.equals(stillKey) || screenWidth() < 1 || screenHeight() < 1) {
            return false;
        }
        double factor = scale / stillScale;
        if (!(factor <= MAX_MOTION_ZOOM && factor >= 1 / MAX_MOTION_ZOOM)) {
            return false;
        }
        // screen x shows world (x - offsetX) / scale, which the still picture has at that times its scale,
        // plus its offset and margin
        scaledStep = stillScale / scale;
        scaledOriginX = stillOffsetX + stillMargin - offsetX * scaledStep;
        scaledOriginY = stillOffsetY + stillMargin - offsetY * scaledStep;
        scaled = true;
        screenStale = true;
        return true;
    }

    @Override
    public boolean beginPlane(Plane p, Object key) {
        plane = p.ordinal();
        target = null;
        gc = canvases[plane];
        if (p == Plane.DOTS) {
            return beginScreen(key);
        }
        if (region == null && key != null && key.equals(shown[plane])) {
            return false;
        }
        shown[plane] = key;
        stillDrawn = true;
        if (p == Plane.BACKGROUND || p == Plane.EDGES) {
            // one raster: the edges over the background; the drawer gives both the same key
            if (!rasterBegun) {
                int w = (int) canvases[FG].getCanvas().getWidth();
                int h = (int) canvases[FG].getCanvas().getHeight();
                if (edges == null || !edges.fits(w, h)) {
                    edges = Layer.of(w, h);
                    edgeView.setImage(edges.image());
                } else {
                    edges.raster().clear();
                }
                rasterBegun = true;
            }
            target = edges.raster();
            return true;
        }
        if (region != null) {
            // only this region of the canvas is composed: draw inside it alone
            gc.save();
            gc.beginPath();
            gc.rect(region[0], region[1], region[2], region[3]);
            gc.clip();
            gc.clearRect(region[0], region[1], region[2], region[3]);
            clipped = true;
            return true;
        }
        // a canvas that gets no command is not rendered again: clear only what has something on it
        if (drawnOn[plane]) {
            gc.clearRect(0, 0, gc.getCanvas().getWidth(), gc.getCanvas().getHeight());
            drawnOn[plane] = false;
        }
        return true;
    }

    /** Puts the still picture on the screen raster (moved or scaled), unless the screen shows it already. */
    private boolean beginScreen(Object key) {
        boolean same = key != null && key.equals(shown[DOTS]) && !screenStale;
        shown[DOTS] = key;
        int w = screenWidth();
        int h = screenHeight();
        if (same || stillPixels == null || w < 1 || h < 1) {
            if (w < 1 || h < 1) {
                display.setImage(null);
            }
            return false;
        }
        current = 1 - current;
        Layer l = screens[current];
        if (l == null || !l.fits(w, h)) {
            l = Layer.of(w, h);
            screens[current] = l;
        }
        if (scaled) {
            l.raster().scaledFrom(stillPixels, stillWidth, stillHeight, scaledOriginX, scaledOriginY, scaledStep,
                    background);
        } else {
            l.raster().copyWindow(stillPixels, stillWidth, stillHeight, (int) stillMargin - windowDx,
                    (int) stillMargin - windowDy, background);
        }
        screenLayer = l;
        target = l.raster();
        screenStale = false;
        return true;
    }

    @Override
    public void endPlane() {
        if (clipped) {
            gc.restore();
            clipped = false;
        }
        if ((plane == BG || plane == EDGES) && target != null) {
            edges.publish();
        } else if (plane == DOTS && screenLayer != null) {
            screenLayer.publish();
            display.setImage(screenLayer.image());
            screenLayer = null;
        }
        target = null;
    }

    @Override
    public void clear(double width, double height, int argb) {
        if (plane == BG) {
            background = argb;
        }
        if (target != null) {
            target.fill(argb);
            return;
        }
        g().setFill(colour(argb));
        g().fillRect(0, 0, width, height);
    }

    /** The canvas of the current plane, marked as drawn on (so that the plane is cleared when redrawn). */
    private GraphicsContext g() {
        if (target != null || gc == null) {
            throw new IllegalStateException("plane " + Plane.values()[plane]
                    + " is drawn in Java: lines, rectangles, triangles and discs only (expected: the foreground)");
        }
        drawnOn[plane] = true;
        return gc;
    }

    @Override
    public void fillRect(double x, double y, double w, double h, int argb) {
        if (target != null) {
            target.fillRoundRect(x, y, w, h, 0, argb);
            return;
        }
        g().setFill(colour(argb));
        g().fillRect(x, y, w, h);
    }

    @Override
    public void fillRoundRect(double x, double y, double w, double h, double arc, int argb) {
        if (target != null) {
            target.fillRoundRect(x, y, w, h, arc, argb);
            return;
        }
        g().setFill(colour(argb));
        g().fillRoundRect(x, y, w, h, arc, arc);
    }

    @Override
    public void strokeRoundRect(double x, double y, double w, double h, double arc, int argb, double lineWidth) {
        if (target != null) {
            target.strokeRoundRect(x, y, w, h, arc, argb, lineWidth);
            return;
        }
        g().setStroke(colour(argb));
        g().setLineWidth(lineWidth);
        g().setLineDashes(NO_DASHES);
        g().strokeRoundRect(x, y, w, h, arc, arc);
    }

    @Override
    public void fillOval(double cx, double cy, double r, int argb) {
        if (target != null) {
            target.disc(cx, cy, r, argb);
            return;
        }
        g().setFill(colour(argb));
        g().fillOval(cx - r, cy - r, 2 * r, 2 * r);
    }

    @Override
    public void fillPolygon(double[] xs, double[] ys, int n, int argb) {
        if (target != null) {
            target.convexPolygon(xs, ys, n, argb);
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
        if (target != null) {
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
        if (target != null) {
            target.line(x1, y1, x2, y2, lineColour, lineWidth);
            return;
        }
        g().moveTo(x1, y1);
        g().lineTo(x2, y2);
        anyLine = true;
    }

    @Override
    public void endLines() {
        if (target != null) {
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
