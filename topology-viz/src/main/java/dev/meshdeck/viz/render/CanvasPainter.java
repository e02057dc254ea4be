package dev.meshdeck.viz.render;

import dev.meshdeck.viz.render.internal.Layers;
import dev.meshdeck.viz.render.internal.Raster;
import dev.meshdeck.viz.render.internal.RasterCommands;
import dev.meshdeck.viz.render.internal.RasterShapes;
import dev.meshdeck.viz.view.Painter;
import javafx.geometry.Rectangle2D;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;

import java.nio.IntBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Painter} that shows the picture as one image, drawn in plain Java. The still picture (the
 * background, group boxes, edges and arrow heads in one raster; the highlights, nodes, badges, labels and
 * edge labels in another, over it) is kept as pixels, and every frame copies those pixels (moved by a pan,
 * or scaled while a zoom is in motion) into the image on the screen and draws the traffic dots over them.
 * The software pipeline pays for every full-size layer it composes on a frame (about 8 ms each at
 * 1600 x 1000) and for every shape it rasterizes: here a frame composes one opaque image and rasterizes
 * nothing. Text is drawn from masks JavaFX rendered once per text and size ({@link TextMasks}). Two screen
 * rasters alternate, so the one being written is never the one the render thread may still be reading.
 *
 * <p>The still picture's planes are drawn again only when their keys change (a hover draws only the
 * foreground). Their shapes are written down on the JavaFX thread ({@link RasterCommands}: well under a
 * millisecond for thousands of edges) and drawn on the {@code executor}, which then lays the foreground
 * over the background; until that picture is ready the screen shows the one kept before, moved and scaled
 * to the viewport, and {@link #stillPending()} is true. The newest picture wins: one whose background is
 * asked for later cancels the ones before it. With a direct executor ({@code Runnable::run}) the picture is
 * ready when the drawing calls return. While the user pans, the still picture is drawn with a margin around
 * the screen and later frames show a moved window of it, until the pan leaves the margin; then the kept
 * pixels move and only the strips that came into view are drawn, on the JavaFX thread (they are small).
 */
final class CanvasPainter implements Painter {

    /** A zoom in motion shows the kept still picture scaled by at most this factor, or its inverse. */
    static final double MAX_MOTION_ZOOM = 2;

    private static final int BG = Plane.BACKGROUND.ordinal();
    private static final int FG = Plane.FOREGROUND.ordinal();
    private static final int DOTS = Plane.DOTS.ordinal();
    /** Dashes of a dashed line: drawn and skipped, in line widths. */
    private static final double DASH = 4;
    private static final double GAP = 3;

    /** The bottom canvas: the screen's size. */
    private final Canvas screen;
    /** Shows the picture on the screen. */
    private final ImageView display;
    private final double margin;
    /** Where the rasters of the still picture are drawn and laid one over the other. */
    private final Executor executor;
    private final TextMasks texts = new TextMasks();
    /** What each plane shows now, or will show once the pending picture is ready (its key). */
    private final Object[] shown = new Object[Plane.values().length];
    private int plane;
    /** Where the shapes of the current plane go (null when it is not drawn). */
    private RasterShapes target;
    private final Layer[] screens = new Layer[2];
    private int current;
    private Layer screenLayer;
    private int background = 0xFFFFFFFF;

    /** What a still picture was drawn for: its key, viewport, margin and size (the screen's plus the margin). */
    private record Frame(Object key, double scale, double offsetX, double offsetY, double margin, int width,
                         int height) {
        Frame movedTo(double x, double y) {
            return new Frame(key, scale, x, y, margin, width, height);
        }
    }

    /**
     * A still picture: its pixels (the foreground over the background), the raster of its background and
     * edges, and the raster of its foreground (transparent elsewhere); the rasters are null after a scroll
     * (moving them too would cost more than the strips: a new foreground then draws the background again).
     */
    private record Kept(Frame frame, int[] pixels, Raster back, Raster front) {
    }

    /** The still picture shown (moved or scaled to the viewport), or null before the first one is ready. */
    private Kept kept;
    /** The still picture being drawn on the executor, and its background; null when none is pending. */
    private Frame pending;
    private CompletableFuture<Kept> pendingPicture;
    private CompletableFuture<Raster> pendingBack;
    /** The last strip after a scroll being drawn on the executor (into the kept pixels), or null. */
    private CompletableFuture<Void> pendingStrips;
    /**
     * The still picture begun by this frame's {@link #beginStill} (null when it draws none), the shapes of its
     * background and edges, and those of its foreground (each null when that is not drawn again).
     */
    private Frame building;
    private RasterCommands backShapes;
    private RasterCommands frontShapes;
    /** Whether a plane of the still picture begun last was drawn again (so it must be composed again). */
    private boolean stillDrawn;
    /** The viewport the screen shows (the kept picture moved and scaled to it). */
    private double viewScale = Double.NaN;
    private double viewOffsetX;
    private double viewOffsetY;
    /** Whether the screen must be put together again even when the dots' key did not change. */
    private boolean screenStale = true;
    /** The strips of the still picture to draw after a scroll (x, y, w, h each), or null; the one being drawn. */
    private int[] regions;
    private int[] region;
    /** The background and foreground of the strip being drawn, written down. */
    private RasterCommands regionBack;
    private RasterCommands regionFront;
    private long stillCompositions;
    private int lineColour;
    private double lineWidth;
    private boolean lineDashed;

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
     * {@link #beginStill}), and its rasters on {@code executor} (one task at a time, in the order given: a
     * single-thread executor, or a direct one).
     */
    CanvasPainter(Canvas screen, ImageView display, double margin, Executor executor) {
        if (!(margin >= 0)) {
            throw new IllegalArgumentException("margin: " + margin + " (expected: >= 0 pixels)");
        }
        this.screen = screen;
        this.display = display;
        this.margin = margin;
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public double planeMargin() {
        return margin;
    }

    /** How many times the still picture was put together from its planes (the foreground laid over the background). */
    long stillCompositions() {
        return stillCompositions;
    }

    /** How many times JavaFX rendered text masks (new texts or sizes). */
    long textRenderings() {
        return texts.renderings();
    }

    /** Whether a still picture is being drawn on the executor: the screen shows the one before it until then. */
    boolean stillPending() {
        installReady();
        return pendingPicture != null || pendingStrips != null;
    }

    /**
     * Waits up to {@code timeout} for the pending still picture (the JavaFX thread waits: for an export);
     * the next frame shows it.
     */
    void awaitStill(Duration timeout) {
        CompletableFuture<?> p = pendingPicture != null ? pendingPicture : pendingStrips;
        if (p == null) {
            return;
        }
        try {
            p.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (pendingStrips != null) {
                pendingStrips.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the still picture", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the still picture was not drawn within " + timeout, e);
        } catch (ExecutionException | CancellationException e) {
            // reported by installReady (a failure) or superseded (a cancellation)
        }
        installReady();
    }

    /**
     * Gives up the pending still picture (its executor is stopping): the next frame draws whatever is not
     * shown already again.
     */
    void discardPending() {
        if (pendingStrips != null) {
            pendingStrips.cancel(false);
            pendingStrips = null;
            // the kept pixels may lack a strip: draw the picture again when next needed
            kept = null;
            Arrays.fill(shown, null);
        }
        if (pendingPicture != null || pendingBack != null) {
            cancelPending();
            Arrays.fill(shown, null);
        }
    }

    private void cancelPending() {
        if (pendingPicture != null) {
            pendingPicture.cancel(false);
        }
        if (pendingBack != null) {
            pendingBack.cancel(false);
        }
        pendingPicture = null;
        pendingBack = null;
        pending = null;
    }

    /** Shows the pending still picture (or strips) from now on when the executor is done with it. */
    private void installReady() {
        CompletableFuture<Void> strips = pendingStrips;
        if (strips != null && strips.isDone()) {
            pendingStrips = null;
            screenStale = true;
            if (!strips.isCancelled()) {
                strips.join();
            }
        }
        CompletableFuture<Kept> p = pendingPicture;
        if (p == null || !p.isDone()) {
            return;
        }
        pendingPicture = null;
        pendingBack = null;
        pending = null;
        if (p.isCancelled()) {
            return;
        }
        kept = p.join();
        stillCompositions++;
        screenStale = true;
    }

    private int screenWidth() {
        return (int) Math.ceil(screen.getWidth());
    }

    private int screenHeight() {
        return (int) Math.ceil(screen.getHeight());
    }

    /** The screen shows the still picture for this viewport (from the next dots plane on). */
    private void showViewport(double scale, double offsetX, double offsetY) {
        if (scale != viewScale || offsetX != viewOffsetX || offsetY != viewOffsetY) {
            screenStale = true;
        }
        viewScale = scale;
        viewOffsetX = offsetX;
        viewOffsetY = offsetY;
    }

    @Override
    public boolean beginStill(Object key, double scale, double offsetX, double offsetY, double drawMargin) {
        stillDrawn = false;
        building = null;
        backShapes = null;
        frontShapes = null;
        installReady();
        showViewport(scale, offsetX, offsetY);
        int sw = screenWidth();
        int sh = screenHeight();
        if (sw < 1 || sh < 1) {
            return false;
        }
        // the picture that is (or will be) kept: the pending one when there is one
        Frame t = pending != null ? pending : kept != null ? kept.frame() : null;
        if (t != null && key.equals(t.key()) && scale == t.scale() && t.width() == sw + 2 * (int) t.margin()
                && t.height() == sh + 2 * (int) t.margin()) {
            double dx = offsetX - t.offsetX();
            double dy = offsetY - t.offsetY();
            long rx = Math.round(dx);
            long ry = Math.round(dy);
            boolean whole = Math.abs(dx - rx) < 1e-6 && Math.abs(dy - ry) < 1e-6;
            if (whole && Math.abs(rx) <= t.margin() && Math.abs(ry) <= t.margin()) {
                return false;
            }
            if (whole && pending == null && pendingStrips == null && drawMargin > 0 && t.margin() > 0
                    && Math.abs(rx) < t.width() / 2 && Math.abs(ry) < t.height() / 2) {
                scroll((int) rx, (int) ry, offsetX, offsetY);
                return true;
            }
        }
        double m = Math.floor(Math.min(margin, drawMargin));
        int w = sw + 2 * (int) m;
        int h = sh + 2 * (int) m;
        if (t == null || t.width() != w || t.height() != h || (pending == null && kept.back() == null)) {
            // a new size, or rasters given up on a scroll: nothing kept fits under a new foreground
            Arrays.fill(shown, null);
        }
        building = new Frame(key, scale, offsetX, offsetY, m, w, h);
        return true;
    }

    /**
     * A pan left the margin: moves the kept pixels by the pan, so that only the strips that came into view are
     * drawn ({@link #stillRegions}) and composed; until they are (on the executor), they show the background.
     */
    private void scroll(int dx, int dy, double offsetX, double offsetY) {
        Raster.shift(kept.pixels(), kept.frame().width(), kept.frame().height(), dx, dy);
        kept = new Kept(kept.frame().movedTo(offsetX, offsetY), kept.pixels(), null, null);
        int w = kept.frame().width();
        int h = kept.frame().height();
        int x0 = Math.max(0, dx);
        int x1 = Math.min(w, w + dx);
        int[] columns = dx > 0 ? new int[] {0, 0, dx, h} : dx < 0 ? new int[] {w + dx, 0, -dx, h} : new int[0];
        int[] rows = dy > 0 ? new int[] {x0, 0, x1 - x0, dy} : dy < 0 ? new int[] {x0, h + dy, x1 - x0, -dy}
                : new int[0];
        regions = new int[columns.length + rows.length];
        System.arraycopy(columns, 0, regions, 0, columns.length);
        System.arraycopy(rows, 0, regions, columns.length, rows.length);
        for (int i = 0; i + 3 < regions.length; i += 4) {
            for (int y = regions[i + 1]; y < regions[i + 1] + regions[i + 3]; y++) {
                Arrays.fill(kept.pixels(), y * w + regions[i], y * w + regions[i] + regions[i + 2], background);
            }
        }
        screenStale = true;
    }

    @Override
    public int[] stillRegions() {
        return regions;
    }

    @Override
    public void beginStillRegion(int x, int y, int width, int height) {
        region = new int[] {x, y, width, height};
        regionBack = new RasterCommands();
        regionFront = new RasterCommands();
    }

    /**
     * Draws the strip on the executor, on rasters of its own (so that nothing beyond it costs), and puts it
     * into the kept pixels (which nothing else writes until it is done: no scroll while strips are pending).
     */
    @Override
    public void endStillRegion() {
        int[] r = region;
        RasterCommands backs = regionBack;
        RasterCommands fronts = regionFront;
        region = null;
        regionBack = null;
        regionFront = null;
        if (r[2] > 0 && r[3] > 0) {
            texts.renderMissing();
            int[] pixels = kept.pixels();
            int stride = kept.frame().width();
            pendingStrips = CompletableFuture.runAsync(() -> {
                Raster back = new Raster(r[2], r[3]);
                backs.drawOn(back, -r[0], -r[1]);
                Raster front = new Raster(r[2], r[3]);
                fronts.drawOn(front, -r[0], -r[1]);
                Layers.over(front.pixels(), 0, r[2], back.pixels(), 0, r[2], pixels, r[1] * stride + r[0], stride,
                        r[2], r[3]);
            }, executor);
        }
    }

    @Override
    public void endStill() {
        if (regions != null) {
            composeRegions();
            return;
        }
        Frame f = building;
        RasterCommands backs = backShapes;
        RasterCommands fronts = frontShapes;
        building = null;
        backShapes = null;
        frontShapes = null;
        if (f == null || !stillDrawn) {
            return;
        }
        texts.renderMissing();
        int w = f.width();
        int h = f.height();
        CompletableFuture<Raster> back;
        if (backs != null) {
            // the newest picture wins: what was asked for before is given up
            cancelPending();
            back = CompletableFuture.supplyAsync(() -> drawn(backs, w, h), executor);
            pendingBack = back;
        } else if (pendingBack != null) {
            back = pendingBack;
            pendingPicture.cancel(false);
        } else {
            back = CompletableFuture.completedFuture(kept.back());
        }
        // the foreground is drawn again with the background (its key holds the background's); the kept one
        // serves only a drawer that draws the background alone
        Raster keptFront = kept == null ? null : kept.front();
        pending = f;
        pendingPicture = back.thenApplyAsync(b -> {
            Raster front = fronts != null ? drawn(fronts, w, h) : keptFront;
            int[] pixels = new int[w * h];
            Layers.over(front.pixels(), b.pixels(), pixels, 0, w, w, h);
            return new Kept(f, pixels, b, front);
        }, executor);
        installReady();
    }

    /** A new raster of {@code width x height} with {@code shapes} drawn on it (on the executor's thread). */
    private static Raster drawn(RasterCommands shapes, int width, int height) {
        Raster r = new Raster(width, height);
        shapes.drawOn(r);
        return r;
    }

    /** Ends the strips drawn after a scroll (each is put into the kept pixels when the executor drew it). */
    private void composeRegions() {
        regions = null;
        stillCompositions++;
        screenStale = true;
        installReady();
    }

    @Override
    public boolean showStillScaled(Object key, double scale, double offsetX, double offsetY) {
        installReady();
        // the kept picture, or while none is there yet the pending one (a zoom in motion does not give it up,
        // or a zoom would never show one)
        Frame f = kept != null ? kept.frame() : pending;
        if (f == null || !key.equals(f.key()) || screenWidth() < 1 || screenHeight() < 1) {
            return false;
        }
        double factor = scale / f.scale();
        if (!(factor <= MAX_MOTION_ZOOM && factor >= 1 / MAX_MOTION_ZOOM)) {
            return false;
        }
        showViewport(scale, offsetX, offsetY);
        return true;
    }

    @Override
    public boolean beginPlane(Plane p, Object key) {
        plane = p.ordinal();
        target = null;
        if (p == Plane.DOTS) {
            return beginScreen(key);
        }
        if (region == null && key != null && key.equals(shown[plane])) {
            return false;
        }
        shown[plane] = key;
        stillDrawn = true;
        if (region != null) {
            // a strip after a scroll: written down, drawn at the end of the strip
            target = p == Plane.FOREGROUND ? regionFront : regionBack;
            return true;
        }
        if (p == Plane.FOREGROUND) {
            if (frontShapes == null) {
                frontShapes = new RasterCommands();
            }
            target = frontShapes;
        } else {
            // one raster: the edges over the background; the drawer gives both the same key
            if (backShapes == null) {
                backShapes = new RasterCommands();
            }
            target = backShapes;
        }
        return true;
    }

    /** Puts the still picture on the screen raster (moved or scaled), unless the screen shows it already. */
    private boolean beginScreen(Object key) {
        installReady();
        boolean same = key != null && key.equals(shown[DOTS]) && !screenStale;
        shown[DOTS] = key;
        int w = screenWidth();
        int h = screenHeight();
        if (same || kept == null || w < 1 || h < 1) {
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
        Frame f = kept.frame();
        double dx = viewOffsetX - f.offsetX();
        double dy = viewOffsetY - f.offsetY();
        long rx = Math.round(dx);
        long ry = Math.round(dy);
        if (viewScale == f.scale() && Math.abs(dx - rx) < 1e-6 && Math.abs(dy - ry) < 1e-6) {
            l.raster().copyWindow(kept.pixels(), f.width(), f.height(), (int) (f.margin() - rx),
                    (int) (f.margin() - ry), background);
        } else {
            // screen x shows world (x - offset) / scale, which the kept picture has at that times its scale,
            // plus its offset and margin
            double step = f.scale() / viewScale;
            l.raster().scaledFrom(kept.pixels(), f.width(), f.height(), f.offsetX() + f.margin() - viewOffsetX * step,
                    f.offsetY() + f.margin() - viewOffsetY * step, step, background);
        }
        screenLayer = l;
        target = l.raster();
        screenStale = false;
        return true;
    }

    @Override
    public void endPlane() {
        if (plane == DOTS && screenLayer != null) {
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
        shapes().fill(argb);
    }

    /** Where the current plane's shapes go. */
    private RasterShapes shapes() {
        if (target == null) {
            throw new IllegalStateException("plane " + Plane.values()[plane] + " is not being drawn (expected: a"
                    + " drawing call between beginPlane returning true and endPlane)");
        }
        return target;
    }

    @Override
    public void fillRect(double x, double y, double w, double h, int argb) {
        shapes().fillRoundRect(x, y, w, h, 0, argb);
    }

    @Override
    public void fillRoundRect(double x, double y, double w, double h, double arc, int argb) {
        shapes().fillRoundRect(x, y, w, h, arc, argb);
    }

    @Override
    public void strokeRoundRect(double x, double y, double w, double h, double arc, int argb, double lineWidth) {
        shapes().strokeRoundRect(x, y, w, h, arc, argb, lineWidth);
    }

    @Override
    public void fillOval(double cx, double cy, double r, int argb) {
        shapes().disc(cx, cy, r, argb);
    }

    @Override
    public void fillPolygon(double[] xs, double[] ys, int n, int argb) {
        shapes().convexPolygon(xs, ys, n, argb);
    }

    @Override
    public void strokeArc(double cx, double cy, double r, double startDeg, double extentDeg, int argb,
                          double lineWidth) {
        shapes().strokeArc(cx, cy, r, startDeg, extentDeg, argb, lineWidth);
    }

    @Override
    public void beginLines(int argb, double lineWidth, boolean dashed) {
        lineColour = argb;
        this.lineWidth = lineWidth;
        lineDashed = dashed;
    }

    @Override
    public void line(double x1, double y1, double x2, double y2) {
        if (!lineDashed) {
            shapes().line(x1, y1, x2, y2, lineColour, lineWidth);
            return;
        }
        double len = Math.hypot(x2 - x1, y2 - y1);
        double dash = DASH * lineWidth;
        double period = (DASH + GAP) * lineWidth;
        for (double t = 0; t < len; t += period) {
            double e = Math.min(len, t + dash);
            shapes().line(x1 + (x2 - x1) * t / len, y1 + (y2 - y1) * t / len, x1 + (x2 - x1) * e / len,
                    y1 + (y2 - y1) * e / len, lineColour, lineWidth);
        }
    }

    @Override
    public void endLines() {
    }

    @Override
    public void text(String s, double x, double y, double size, boolean bold, int argb, Align align) {
        if (s.isEmpty()) {
            return;
        }
        shapes().text(texts.get(s, size, bold), x, y, align.ordinal(), argb);
    }

    /** The JavaFX colour of {@code 0xAARRGGBB}. */
    static Color fx(int argb) {
        return Color.rgb((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF, ((argb >>> 24) & 0xFF) / 255.0);
    }
}
