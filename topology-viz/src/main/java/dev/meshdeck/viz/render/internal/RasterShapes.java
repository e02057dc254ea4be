package dev.meshdeck.viz.render.internal;

/**
 * The shapes a {@link Raster} draws, so that they can be drawn at once or written down now and drawn
 * later on another thread ({@link RasterCommands}). Colours are straight-alpha {@code 0xAARRGGBB}.
 */
public interface RasterShapes {

    /** Fills everything (inside the clip) with {@code argb}. */
    void fill(int argb);

    void fillRoundRect(double x, double y, double w, double h, double arc, int argb);

    void strokeRoundRect(double x, double y, double w, double h, double arc, int argb, double lineWidth);

    void disc(double cx, double cy, double r, int argb);

    /** A filled convex polygon of the first {@code n} points. */
    void convexPolygon(double[] xs, double[] ys, int n, int argb);

    void line(double x1, double y1, double x2, double y2, int argb, double lineWidth);

    /**
     * An open arc of a circle, stroked: degrees from {@code startDeg} (0 = 3 o'clock, counter-clockwise on the
     * screen, as a canvas's strokeArc) over {@code extentDeg}.
     */
    void strokeArc(double cx, double cy, double r, double startDeg, double extentDeg, int argb, double lineWidth);

    /**
     * Text in colour {@code argb}: its mask with the baseline at {@code y} and the pen starting at {@code x}
     * ({@code align} 0), or centred on it (1), or ending at it (2); at whole pixels.
     */
    void text(TextMask mask, double x, double y, int align, int argb);
}
