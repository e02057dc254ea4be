package dev.meshdeck.viz.view;

/**
 * Where {@link SceneDrawer} draws: a canvas or an SVG document. Coordinates are screen pixels, colours
 * {@code 0xAARRGGBB}. Straight lines come in batches of one colour and width ({@link #beginLines},
 * {@link #line}..., {@link #endLines}) so that a canvas strokes them as one path.
 */
public interface Painter {

    enum Align { LEFT, CENTER, RIGHT }

    /**
     * The planes of the picture, bottom to top: the background with the namespace and service boxes (no
     * text: it is drawn again whenever the edges are, under the same key); the edges and arrow heads; the
     * namespaces' names, highlights, nodes and labels (these three are the <i>still picture</i>); and the
     * moving traffic dots on top of it all.
     */
    enum Plane { BACKGROUND, EDGES, FOREGROUND, DOTS }

    /**
     * Starts drawing {@code plane}, up to {@link #endPlane}. A painter that keeps the planes apart (one
     * surface each) returns false when that plane still shows what {@code key} stands for, and the caller
     * then skips drawing it; a {@code null} key never matches. The key must stand for everything the
     * plane depends on. By default there is one surface, drawn in order, and every plane is drawn.
     */
    default boolean beginPlane(Plane plane, Object key) {
        return true;
    }

    /** Ends the plane begun last. */
    default void endPlane() {
    }

    /**
     * How many pixels beyond each edge of the screen this painter may draw the still picture (see
     * {@link #beginStill}), so that a pan of up to that much can show it moved instead of drawn again; 0
     * (the default) when it does not keep it.
     */
    default double planeMargin() {
        return 0;
    }

    /**
     * Starts the still picture (the background, edge and foreground planes, up to {@link #endStill}) of a
     * viewport of {@code scale} and offset {@code (offsetX, offsetY)}; {@code key} stands for everything else
     * it depends on. Returns false when the painter shows what it drew for an equal key and scale at another
     * offset, moved by whole pixels to this one (within the margin it was drawn with): the caller then draws
     * nothing of it. When true, the caller draws the planes as on a screen {@code margin} (0 up to
     * {@link #planeMargin()}) larger on every side, whose origin is at {@code (-margin, -margin)} of the
     * screen. By default the picture is always drawn.
     */
    default boolean beginStill(Object key, double scale, double offsetX, double offsetY, double margin) {
        return true;
    }

    /** Ends the still picture. */
    default void endStill() {
    }

    /**
     * After {@link #beginStill} returned true: the rectangles of the still picture (pixels of the larger
     * screen, {@code x, y, width, height} one after another) the caller has to draw, each between
     * {@link #beginStillRegion} and {@link #endStillRegion}; {@code null} (the default) for all of it. A
     * painter that moved the picture it kept (a pan that left the margin) asks only for what came into view.
     */
    default int[] stillRegions() {
        return null;
    }

    /** Starts drawing every plane of the still picture again, only inside this rectangle of it. */
    default void beginStillRegion(int x, int y, int width, int height) {
    }

    /** Ends {@link #beginStillRegion}. */
    default void endStillRegion() {
    }

    /**
     * While a zoom is in motion: shows the still picture kept for an equal {@code key} at another scale,
     * scaled to this viewport, instead of drawing it (a coarser picture, drawn afresh when the zoom rests).
     * Returns false (the default) when the painter keeps none it can scale; the caller then draws it.
     */
    default boolean showStillScaled(Object key, double scale, double offsetX, double offsetY) {
        return false;
    }

    void clear(double width, double height, int argb);

    void fillRect(double x, double y, double w, double h, int argb);

    void fillRoundRect(double x, double y, double w, double h, double arc, int argb);

    void strokeRoundRect(double x, double y, double w, double h, double arc, int argb, double lineWidth);

    void fillOval(double cx, double cy, double r, int argb);

    /** A filled polygon of {@code n} points. */
    void fillPolygon(double[] xs, double[] ys, int n, int argb);

    /** An open arc of a circle (degrees, 0 = 3 o'clock, counter-clockwise), stroked. */
    void strokeArc(double cx, double cy, double r, double startDeg, double extentDeg, int argb, double lineWidth);

    void beginLines(int argb, double lineWidth, boolean dashed);

    void line(double x1, double y1, double x2, double y2);

    void endLines();

    /** Text with its baseline at {@code y}; {@code bold} for titles. */
    void text(String s, double x, double y, double size, boolean bold, int argb, Align align);

    /** An estimate of the width of {@code s} at font size {@code size}, for placing label backgrounds. */
    default double textWidth(String s, double size) {
        return s.length() * size * 0.56;
    }
}
