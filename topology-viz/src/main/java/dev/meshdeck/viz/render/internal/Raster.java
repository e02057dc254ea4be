package dev.meshdeck.viz.render.internal;

import java.util.Arrays;

/**
 * A premultiplied ARGB pixel buffer that draws antialiased lines (Xiaolin Wu's algorithm), filled
 * triangles and small discs in plain Java. The edges of a large graph are thousands of thin shapes; the
 * JavaFX software pipeline rasterizes each shape separately at a high fixed cost, whereas here they cost
 * a few nanoseconds per pixel and reach the canvas as one image. Tracks the rectangle it touched.
 */
public final class Raster implements RasterShapes {

    private final int width;
    private final int height;
    private final int[] pixels;
    private final double[] clipBuffer = new double[4];
    /** Only these pixels (inclusive) are drawn on; the whole raster unless {@link #clipTo} narrowed it. */
    private int clipMinX;
    private int clipMinY;
    private int clipMaxX;
    private int clipMaxY;
    private int dirtyMinX;
    private int dirtyMinY;
    private int dirtyMaxX;
    private int dirtyMaxY;

    public Raster(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("raster " + width + " x " + height + " (expected: at least 1 x 1)");
        }
        this.width = width;
        this.height = height;
        this.pixels = new int[width * height];
        resetDirty();
        clipTo(0, 0, width, height);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The pixels, premultiplied ARGB, row by row. */
    public int[] pixels() {
        return pixels;
    }

    public boolean isDirty() {
        return dirtyMaxX >= dirtyMinX;
    }

    /** The touched rectangle: x, y, width, height (empty when nothing was drawn). */
    public int[] dirtyRect() {
        return isDirty() ? new int[] {dirtyMinX, dirtyMinY, dirtyMaxX - dirtyMinX + 1, dirtyMaxY - dirtyMinY + 1}
                : new int[] {0, 0, 0, 0};
    }

    /** Makes the touched rectangle transparent again. */
    public void clear() {
        if (isDirty()) {
            for (int y = dirtyMinY; y <= dirtyMaxY; y++) {
                Arrays.fill(pixels, y * width + dirtyMinX, y * width + dirtyMaxX + 1, 0);
            }
        }
        resetDirty();
    }

    /**
     * Draws from now on only on the pixels of the rectangle {@code x, y, w, h} (cut to the raster); a shape
     * that crosses its border gets there exactly the pixels it would get without the clip.
     */
    public void clipTo(int x, int y, int w, int h) {
        clipMinX = Math.max(0, x);
        clipMinY = Math.max(0, y);
        clipMaxX = Math.min(width - 1, x + w - 1);
        clipMaxY = Math.min(height - 1, y + h - 1);
    }

    /**
     * Makes this raster (of the same size) a copy of {@code source} moved by {@code dx, dy} pixels; what
     * moves in from outside is transparent.
     */
    public void copyShifted(Raster source, int dx, int dy) {
        requireSameSize(source);
        clear();
        if (!source.isDirty()) {
            return;
        }
        int x0 = Math.max(0, source.dirtyMinX + dx);
        int x1 = Math.min(width - 1, source.dirtyMaxX + dx);
        int y0 = Math.max(0, source.dirtyMinY + dy);
        int y1 = Math.min(height - 1, source.dirtyMaxY + dy);
        if (x0 > x1 || y0 > y1) {
            return;
        }
        for (int y = y0; y <= y1; y++) {
            System.arraycopy(source.pixels, (y - dy) * width + x0 - dx, pixels, y * width + x0, x1 - x0 + 1);
        }
        markDirty(x0, y0, x1, y1);
    }

    private void requireSameSize(Raster source) {
        if (source.width != width || source.height != height) {
            throw new IllegalArgumentException("copy of a " + source.width + " x " + source.height + " raster into a "
                    + width + " x " + height + " one (expected: the same size)");
        }
    }

    /** Makes this raster (of the same size) a copy of {@code source}, touched where the source is. */
    public void copyFrom(Raster source) {
        requireSameSize(source);
        clear();
        if (source.isDirty()) {
            for (int y = source.dirtyMinY; y <= source.dirtyMaxY; y++) {
                int i = y * width + source.dirtyMinX;
                System.arraycopy(source.pixels, i, pixels, i, source.dirtyMaxX - source.dirtyMinX + 1);
            }
            dirtyMinX = source.dirtyMinX;
            dirtyMinY = source.dirtyMinY;
            dirtyMaxX = source.dirtyMaxX;
            dirtyMaxY = source.dirtyMaxY;
        }
    }

    /**
     * Makes this raster the window of {@code source} (premultiplied ARGB, {@code sourceWidth} pixels a row,
     * {@code sourceHeight} rows) whose top-left corner lies at {@code (x, y)} of it; what the window shows
     * beyond the source is {@code fill} (premultiplied). Touches the whole raster.
     */
    public void copyWindow(int[] source, int sourceWidth, int sourceHeight, int x, int y, int fill) {
        requireRows(source, sourceWidth, sourceHeight);
        int from = Math.max(0, -x);
        int to = Math.min(width, sourceWidth - x);
        for (int row = 0; row < height; row++) {
            int sy = y + row;
            int i = row * width;
            if (sy < 0 || sy >= sourceHeight || from >= to) {
                Arrays.fill(pixels, i, i + width, fill);
                continue;
            }
            if (from > 0) {
                Arrays.fill(pixels, i, i + from, fill);
            }
            System.arraycopy(source, sy * sourceWidth + x + from, pixels, i + from, to - from);
            if (to < width) {
                Arrays.fill(pixels, i + to, i + width, fill);
            }
        }
        markDirty(0, 0, width - 1, height - 1);
    }

    /**
     * Makes this raster {@code source} (as in {@link #copyWindow}) scaled: pixel {@code (x, y)} shows the
     * source pixel nearest to {@code (originX + (x + 0.5) * step, originY + (y + 0.5) * step)}, or
     * {@code fill} beyond the source. Touches the whole raster.
     */
    public void scaledFrom(int[] source, int sourceWidth, int sourceHeight, double originX, double originY,
                           double step, int fill) {
        requireRows(source, sourceWidth, sourceHeight);
        if (!(step > 0)) {
            throw new IllegalArgumentException("step: " + step + " (expected: > 0)");
        }
        int[] column = new int[width];
        for (int x = 0; x < width; x++) {
            double sx = Math.floor(originX + (x + 0.5) * step);
            column[x] = sx >= 0 && sx < sourceWidth ? (int) sx : -1;
        }
        int lastSource = -1;
        for (int row = 0; row < height; row++) {
            double sy = Math.floor(originY + (row + 0.5) * step);
            int i = row * width;
            if (!(sy >= 0 && sy < sourceHeight)) {
                Arrays.fill(pixels, i, i + width, fill);
                lastSource = -1;
                continue;
            }
            if ((int) sy == lastSource) {
                // zoomed in: this row shows the source row the one above shows
                System.arraycopy(pixels, i - width, pixels, i, width);
                continue;
            }
            lastSource = (int) sy;
            int base = (int) sy * sourceWidth;
            for (int x = 0; x < width; x++) {
                int c = column[x];
                pixels[i + x] = c < 0 ? fill : source[base + c];
            }
        }
        markDirty(0, 0, width - 1, height - 1);
    }

    private static void requireRows(int[] source, int sourceWidth, int sourceHeight) {
        if (sourceWidth < 1 || sourceHeight < 1 || source.length < (long) sourceWidth * sourceHeight) {
            throw new IllegalArgumentException("source of " + source.length + " pixels as " + sourceWidth + " x "
                    + sourceHeight + " (expected: at least width x height pixels, both at least 1)");
        }
    }

    /** Fills the raster (inside the clip: see {@link #clipTo}) with {@code argb} (straight alpha). */
    @Override
    public void fill(int argb) {
        if (clipMinX > clipMaxX || clipMinY > clipMaxY) {
            return;
        }
        int p = premultiplied(argb);
        for (int y = clipMinY; y <= clipMaxY; y++) {
            Arrays.fill(pixels, y * width + clipMinX, y * width + clipMaxX + 1, p);
        }
        markDirty(clipMinX, clipMinY, clipMaxX, clipMaxY);
    }

    /**
     * Moves the pixels by {@code dx, dy} within the raster (what moves out is lost, what moves in keeps what
     * was there before) and marks the whole raster touched.
     */
    public void shift(int dx, int dy) {
        shift(pixels, width, height, dx, dy);
        markDirty(0, 0, width - 1, height - 1);
    }

    /** Moves the pixels of a {@code width x height} picture by {@code dx, dy} in place (see {@link #shift(int, int)}). */
    public static void shift(int[] pixels, int width, int height, int dx, int dy) {
        requireRows(pixels, width, height);
        int x0 = Math.max(0, dx);
        int x1 = Math.min(width, width + dx);
        if (x0 >= x1 || Math.abs(dy) >= height) {
            return;
        }
        int n = x1 - x0;
        if (dy > 0) {
            for (int y = height - 1; y >= dy; y--) {
                System.arraycopy(pixels, (y - dy) * width + x0 - dx, pixels, y * width + x0, n);
            }
        } else {
            for (int y = 0; y < height + dy; y++) {
                System.arraycopy(pixels, (y - dy) * width + x0 - dx, pixels, y * width + x0, n);
            }
        }
    }

    private static int premultiplied(int argb) {
        int a = (argb >>> 24) & 0xFF;
        if (a == 0xFF) {
            return argb;
        }
        int r = (((argb >> 16) & 0xFF) * a + 127) / 255;
        int g = (((argb >> 8) & 0xFF) * a + 127) / 255;
        int b = ((argb & 0xFF) * a + 127) / 255;
        return (a << 24) | (r << 16) | (g << 8) | b;
    }

    /** Sub-rows per pixel row of {@link #fillRoundRect}: its coverage is exact across, sampled down. */
    private static final int ROUND_RECT_SAMPLES = 4;

    /**
     * A filled rectangle with corners rounded to {@code arc} wide and high (as a canvas's fillRoundRect),
     * antialiased: each pixel is covered by the share of it inside the shape.
     */
    @Override
    public void fillRoundRect(double x, double y, double w, double h, double arc, int argb) {
        if (!(w > 0 && h > 0)) {
            return;
        }
        double r = Math.max(0, Math.min(arc / 2, Math.min(w, h) / 2));
        int minX = Math.max(clipMinX, (int) Math.floor(x));
        int maxX = Math.min(clipMaxX, (int) Math.ceil(x + w) - 1);
        int minY = Math.max(clipMinY, (int) Math.floor(y));
        int maxY = Math.min(clipMaxY, (int) Math.ceil(y + h) - 1);
        if (minX > maxX || minY > maxY) {
            return;
        }
        double[] cover = new double[maxX - minX + 1];
        for (int py = minY; py <= maxY; py++) {
            if (py >= y + r && py + 1 <= y + h - r) {
                // a whole row between the corners: only its two end pixels are partly covered
                int sa = (argb >>> 24) & 0xFF;
                // the pixels wholly inside: [fullFrom, fullTo]
                int fullFrom = Math.max(minX, (int) Math.ceil(x));
                int fullTo = Math.min(maxX, (int) Math.floor(x + w) - 1);
                if (sa == 0xFF && fullFrom <= fullTo) {
                    Arrays.fill(pixels, py * width + fullFrom, py * width + fullTo + 1, argb);
                } else {
                    for (int px = fullFrom; px <= fullTo; px++) {
                        blendAt(py * width + px, argb & 0xFFFFFF, sa);
                    }
                }
                for (int px = minX; px <= maxX && px < fullFrom; px++) {
                    blend(px, py, argb, Math.min(px + 1, x + w) - Math.max(px, x));
                }
                for (int px = Math.max(fullTo + 1, minX); px <= maxX; px++) {
                    double c = Math.min(px + 1, x + w) - Math.max(px, x);
                    if (c > 0) {
                        blend(px, py, argb, c);
                    }
                }
                markDirty(minX, py, maxX, py);
                continue;
            }
            Arrays.fill(cover, 0);
            for (int k = 0; k < ROUND_RECT_SAMPLES; k++) {
                double sy = py + (k + 0.5) / ROUND_RECT_SAMPLES;
                if (sy < y || sy >= y + h) {
                    continue;
                }
                double inset = 0;
                double dy = sy < y + r ? y + r - sy : sy > y + h - r ? sy - (y + h - r) : 0;
                if (dy > 0) {
                    inset = r - Math.sqrt(Math.max(0, r * r - dy * dy));
                }
                double lx = x + inset;
                double rx = x + w - inset;
                int from = Math.max(minX, (int) Math.floor(lx));
                int to = Math.min(maxX, (int) Math.ceil(rx) - 1);
                for (int px = from; px <= to; px++) {
                    double c = Math.min(px + 1, rx) - Math.max(px, lx);
                    if (c > 0) {
                        cover[px - minX] += c / ROUND_RECT_SAMPLES;
                    }
                }
            }
            for (int px = minX; px <= maxX; px++) {
                double c = cover[px - minX];
                if (c > 0) {
                    blend(px, py, argb, Math.min(1, c));
                }
            }
        }
    }

    /**
     * The outline of a rectangle with rounded corners (as a canvas's strokeRoundRect), as antialiased lines
     * of {@code lineWidth}: four sides and each corner in four straight pieces.
     */
    @Override
    public void strokeRoundRect(double x, double y, double w, double h, double arc, int argb, double lineWidth) {
        double r = Math.max(0, Math.min(arc / 2, Math.min(w, h) / 2));
        line(x + r, y, x + w - r, y, argb, lineWidth);
        line(x + w, y + r, x + w, y + h - r, argb, lineWidth);
        line(x + w - r, y + h, x + r, y + h, argb, lineWidth);
        line(x, y + h - r, x, y + r, argb, lineWidth);
        if (r < 0.5) {
            return;
        }
        double[][] corners = {{x + w - r, y + r, -90}, {x + w - r, y + h - r, 0}, {x + r, y + h - r, 90},
            {x + r, y + r, 180}};
        for (double[] c : corners) {
            double px = c[0] + r * Math.cos(Math.toRadians(c[2]));
            double py = c[1] + r * Math.sin(Math.toRadians(c[2]));
            for (int k = 1; k <= 4; k++) {
                double a = Math.toRadians(c[2] + 22.5 * k);
                double qx = c[0] + r * Math.cos(a);
                double qy = c[1] + r * Math.sin(a);
                line(px, py, qx, qy, argb, lineWidth);
                px = qx;
                py = qy;
            }
        }
    }

    @Override
    public void strokeArc(double cx, double cy, double r, double startDeg, double extentDeg, int argb,
                          double lineWidth) {
        // straight pieces of at most 22.5 degrees, as the corners of strokeRoundRect
        int pieces = Math.max(2, (int) Math.ceil(Math.abs(extentDeg) / 22.5));
        double px = cx + r * Math.cos(Math.toRadians(startDeg));
        double py = cy - r * Math.sin(Math.toRadians(startDeg));
        for (int k = 1; k <= pieces; k++) {
            double a = Math.toRadians(startDeg + extentDeg * k / pieces);
            double qx = cx + r * Math.cos(a);
            double qy = cy - r * Math.sin(a);
            line(px, py, qx, qy, argb, lineWidth);
            px = qx;
            py = qy;
        }
    }

    @Override
    public void text(TextMask mask, double x, double y, int align, int argb) {
        if (!mask.isFilled()) {
            throw new IllegalStateException("text mask not filled in (expected: rendered before it is drawn)");
        }
        double pen = align == 1 ? x - mask.advance() / 2 : align == 2 ? x - mask.advance() : x;
        int x0 = (int) Math.round(pen) - mask.originX();
        int y0 = (int) Math.round(y) - mask.baseline();
        int from = Math.max(clipMinX, x0);
        int to = Math.min(clipMaxX, x0 + mask.width() - 1);
        int top = Math.max(clipMinY, y0);
        int bottom = Math.min(clipMaxY, y0 + mask.height() - 1);
        if (from > to || top > bottom) {
            return;
        }
        int alpha = (argb >>> 24) & 0xFF;
        int rgb = argb & 0xFFFFFF;
        byte[] c = mask.coverage();
        for (int py = top; py <= bottom; py++) {
            int row = (py - y0) * mask.width() - x0;
            for (int px = from; px <= to; px++) {
                int a = c[row + px] & 0xFF;
                if (a != 0) {
                    blendAt(py * width + px, rgb, (a * alpha + 127) / 255);
                }
            }
        }
        markDirty(from, top, to, bottom);
    }

    /** A filled convex polygon of {@code n} points (a fan of triangles). */
    @Override
    public void convexPolygon(double[] xs, double[] ys, int n, int argb) {
        for (int i = 1; i + 1 < n; i++) {
            triangle(xs[0], ys[0], xs[i], ys[i], xs[i + 1], ys[i + 1], argb);
        }
    }

    /** An antialiased line of {@code lineWidth} pixels (drawn as parallel one-pixel strands when wider). */
    @Override
    public void line(double x1, double y1, double x2, double y2, int argb, double lineWidth) {
        if (lineWidth <= 1.25) {
            wuLine(x1, y1, x2, y2, argb, Math.max(0.2, Math.min(1, lineWidth)));
            return;
        }
        double dx = x2 - x1;
        double dy = y2 - y1;
        double len = Math.hypot(dx, dy);
        if (len == 0) {
            return;
        }
        double nx = -dy / len;
        double ny = dx / len;
        // strands one pixel apart; a line wider than three pixels gets three strands spread over its width
        int strands = Math.min(3, (int) Math.round(lineWidth));
        double spacing = strands == 3 ? Math.max(1, (lineWidth - 1) / 2) : 1;
        for (int k = 0; k < strands; k++) {
            double o = (k - (strands - 1) / 2.0) * spacing;
            wuLine(x1 + nx * o, y1 + ny * o, x2 + nx * o, y2 + ny * o, argb, 1);
        }
    }

    /** A filled triangle (its pixel centres inside it are covered). */
    public void triangle(double ax, double ay, double bx, double by, double cx, double cy, int argb) {
        int minY = Math.max(clipMinY, (int) Math.floor(Math.min(ay, Math.min(by, cy))));
        int maxY = Math.min(clipMaxY, (int) Math.ceil(Math.max(ay, Math.max(by, cy))));
        double[] xs = {ax, bx, cx};
        double[] ys = {ay, by, cy};
        for (int y = minY; y <= maxY; y++) {
            double py = y + 0.5;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < 3; i++) {
                double x0 = xs[i];
                double y0 = ys[i];
                double x1 = xs[(i + 1) % 3];
                double y1 = ys[(i + 1) % 3];
                if ((py >= y0 && py < y1) || (py >= y1 && py < y0)) {
                    double x = x0 + (py - y0) * (x1 - x0) / (y1 - y0);
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
            if (lo <= hi) {
                int from = Math.max(clipMinX, (int) Math.ceil(lo - 0.5));
                int to = Math.min(clipMaxX, (int) Math.floor(hi - 0.5));
                for (int x = from; x <= to; x++) {
                    blend(x, y, argb, 1);
                }
            }
        }
    }

    /** A filled disc of radius {@code r} with an antialiased rim. */
    @Override
    public void disc(double cx, double cy, double r, int argb) {
        int minX = Math.max(clipMinX, (int) Math.floor(cx - r - 1));
        int maxX = Math.min(clipMaxX, (int) Math.ceil(cx + r + 1));
        int minY = Math.max(clipMinY, (int) Math.floor(cy - r - 1));
        int maxY = Math.min(clipMaxY, (int) Math.ceil(cy + r + 1));
        // pixels whose centre is this close are fully covered; beyond the rim + 0.5 not at all
        double inner = r - 0.5 > 0 ? (r - 0.5) * (r - 0.5) : -1;
        double outer = (r + 0.5) * (r + 0.5);
        for (int y = minY; y <= maxY; y++) {
            double dy = y + 0.5 - cy;
            for (int x = minX; x <= maxX; x++) {
                double dx = x + 0.5 - cx;
                double d2 = dx * dx + dy * dy;
                if (d2 >= outer) {
                    continue;
                }
                blend(x, y, argb, d2 <= inner ? 1 : Math.min(1, r + 0.5 - Math.sqrt(d2)));
            }
        }
    }

    private void wuLine(double x0, double y0, double x1, double y1, int argb, double intensity) {
        // clip to the raster (Liang-Barsky) so that long off-screen stretches cost nothing
        double[] c = clipBuffer;
        c[0] = x0;
        c[1] = y0;
        c[2] = x1;
        c[3] = y1;
        // a little beyond the border, so that pixels straddling it get their share as if it were not there
        if (!clip(c, -2, -2, width + 1, height + 1)) {
            return;
        }
        x0 = c[0];
        y0 = c[1];
        x1 = c[2];
        y1 = c[3];
        // the pixels either side of the line: one beyond its end points' pixels
        markDirty((int) Math.floor(Math.min(x0, x1)) - 1, (int) Math.floor(Math.min(y0, y1)) - 1,
                (int) Math.max(x0, x1) + 1, (int) Math.max(y0, y1) + 1);
        int alpha = (int) (((argb >>> 24) & 0xFF) * intensity + 0.5);
        int rgb = argb & 0xFFFFFF;
        boolean steep = Math.abs(y1 - y0) > Math.abs(x1 - x0);
        if (steep) {
            double t = x0;
            x0 = y0;
            y0 = t;
            t = x1;
            x1 = y1;
            y1 = t;
        }
        if (x0 > x1) {
            double t = x0;
            x0 = x1;
            x1 = t;
            t = y0;
            y0 = y1;
            y1 = t;
        }
        double dx = x1 - x0;
        double gradient = dx == 0 ? 1 : (y1 - y0) / dx;
        int majorMin = steep ? clipMinY : clipMinX;
        int majorMax = steep ? clipMaxY : clipMaxX;
        int minorMin = steep ? clipMinX : clipMinY;
        int minorMax = steep ? clipMaxX : clipMaxY;
        int xStart = Math.max(majorMin, (int) x0);
        int xEnd = Math.min(majorMax, (int) Math.round(x1));
        for (int x = xStart; x <= xEnd; x++) {
            // pixel centres are at +0.5: shift so that the two pixels straddling the line share its coverage
            // (computed for each pixel, not summed up, so that a clipped line gets the very same pixels)
            double y = y0 - 0.5 + gradient * (x + 0.5 - x0);
            int yi = (int) Math.floor(y);
            int f = (int) ((y - yi) * 256);
            int a1 = (alpha * (256 - f)) >> 8;
            int a2 = (alpha * f) >> 8;
            if (a1 > 0 && yi >= minorMin && yi <= minorMax) {
                blendAt(steep ? yi + x * width : yi * width + x, rgb, a1);
            }
            if (a2 > 0 && yi + 1 >= minorMin && yi + 1 <= minorMax) {
                blendAt(steep ? yi + 1 + x * width : (yi + 1) * width + x, rgb, a2);
            }
        }
    }

    /** Source-over of colour {@code rgb} at alpha {@code sa} (0..255) onto premultiplied pixel {@code i}. */
    private void blendAt(int i, int rgb, int sa) {
        int d = pixels[i];
        if (d == 0) {
            // onto nothing (most pixels a line touches): the general formula below with d = 0, in fewer steps
            pixels[i] = (sa << 24) | ((((rgb >> 16) & 0xFF) * sa + 255) >> 8) << 16
                    | ((((rgb >> 8) & 0xFF) * sa + 255) >> 8) << 8 | (((rgb & 0xFF) * sa + 255) >> 8);
            return;
        }
        int inv = 255 - sa;
        if ((d >>> 24) == 0xFF) {
            // onto an opaque pixel (the background under the edges): it stays opaque
            pixels[i] = 0xFF000000 | ((((rgb >> 16) & 0xFF) * sa + ((d >> 16) & 0xFF) * inv + 255) >> 8) << 16
                    | ((((rgb >> 8) & 0xFF) * sa + ((d >> 8) & 0xFF) * inv + 255) >> 8) << 8
                    | (((rgb & 0xFF) * sa + (d & 0xFF) * inv + 255) >> 8);
            return;
        }
        int a = sa + ((((d >>> 24) & 0xFF) * inv + 255) >> 8);
        int r = (((rgb >> 16) & 0xFF) * sa + ((d >> 16) & 0xFF) * inv + 255) >> 8;
        int g = (((rgb >> 8) & 0xFF) * sa + ((d >> 8) & 0xFF) * inv + 255) >> 8;
        int b = ((rgb & 0xFF) * sa + (d & 0xFF) * inv + 255) >> 8;
        a = Math.min(255, a);
        pixels[i] = (a << 24) | (Math.min(a, r) << 16) | (Math.min(a, g) << 8) | Math.min(a, b);
    }

    /** Source-over of a straight-alpha colour at {@code coverage} onto a pixel, marking it touched. */
    private void blend(int x, int y, int argb, double coverage) {
        int sa = (int) (((argb >>> 24) & 0xFF) * coverage + 0.5);
        if (sa == 0) {
            return;
        }
        blendAt(y * width + x, argb & 0xFFFFFF, sa);
        markDirty(x, y, x, y);
    }

    private void markDirty(int x0, int y0, int x1, int y1) {
        dirtyMinX = Math.max(0, Math.min(dirtyMinX, x0));
        dirtyMinY = Math.max(0, Math.min(dirtyMinY, y0));
        dirtyMaxX = Math.min(width - 1, Math.max(dirtyMaxX, x1));
        dirtyMaxY = Math.min(height - 1, Math.max(dirtyMaxY, y1));
    }

    private void resetDirty() {
        dirtyMinX = Integer.MAX_VALUE;
        dirtyMinY = Integer.MAX_VALUE;
        dirtyMaxX = Integer.MIN_VALUE;
        dirtyMaxY = Integer.MIN_VALUE;
    }

    /** Clips segment {@code c} (x0, y0, x1, y1) to the rectangle in place; false when nothing is left. */
    static boolean clip(double[] c, double minX, double minY, double maxX, double maxY) {
        double dx = c[2] - c[0];
        double dy = c[3] - c[1];
        double t0 = 0;
        double t1 = 1;
        double[] p = {-dx, dx, -dy, dy};
        double[] q = {c[0] - minX, maxX - c[0], c[1] - minY, maxY - c[1]};
        for (int i = 0; i < 4; i++) {
            if (p[i] == 0) {
                if (q[i] < 0) {
                    return false;
                }
            } else {
                double t = q[i] / p[i];
                if (p[i] < 0) {
                    t0 = Math.max(t0, t);
                } else {
                    t1 = Math.min(t1, t);
                }
            }
        }
        if (t0 > t1) {
            return false;
        }
        double x0 = c[0];
        double y0 = c[1];
        c[0] = x0 + t0 * dx;
        c[1] = y0 + t0 * dy;
        c[2] = x0 + t1 * dx;
        c[3] = y0 + t1 * dy;
        return true;
    }
}
