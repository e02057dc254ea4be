package dev.meshdeck.viz.view;

/**
 * Where {@link SceneDrawer} draws: a canvas or an SVG document. Coordinates are screen pixels, colours
 * {@code 0xAARRGGBB}. Straight lines come in batches of one colour and width ({@link #beginLines},
 * {@link #line}..., {@link #endLines}) so that a canvas strokes them as one path.
 */
public interface Painter {

    enum Align { LEFT, CENTER, RIGHT }

    /**
     * The three planes the picture is stacked from, bottom to top: the background with the namespace and
     * service boxes; the edges, arrow heads and traffic dots; the highlights, nodes and labels.
     */
    enum Plane { BACKGROUND, EDGES, FOREGROUND }

    /**
     * Starts drawing {@code plane}, up to {@link #endPlane}. A painter that keeps the planes apart (one
     * surface each) returns false when that plane still shows what {@code key} stands for, and the caller
     * then skips drawing it; a {@code null} key never matches. The key must stand for everything the
     * plane depends on. By default there is one surface, drawn in order, and every plane is drawn.
     */
    default boolean beginPlane(Plane plane, Object key) {
        return true;
    }

    /**
     * How many pixels beyond each edge of the screen this painter draws a plane begun by
     * {@link #beginMovingPlane}, so that a pan of up to that much can show the plane moved instead of drawn
     * again; 0 (the default) when it does not keep planes.
     */
    default double planeMargin() {
        return 0;
    }

    /**
     * Like {@link #beginPlane}, for a plane that a pan only moves: {@code key} stands for everything the plane
     * depends on but the viewport's offset {@code (offsetX, offsetY)}. Returns false when the painter shows
     * what it drew for an equal key at another offset, moved by whole pixels to this one (by no more than the
     * margin it was drawn with; a painter may also draw it again when it was drawn with another margin);
     * true when the caller has to draw the plane: then as on a screen {@code margin} (0 up to
     * {@link #planeMargin()}) larger on every side, whose origin is at {@code (-margin, -margin)} of the screen.
     */
    default boolean beginMovingPlane(Plane plane, Object key, double offsetX, double offsetY, double margin) {
        return beginPlane(plane, key == null ? null : java.util.List.of(key, offsetX, offsetY));
    }

    /** Ends the plane begun last. */
    default void endPlane() {
    }

    void clear(double width, double height, int argb);

    /**
     * Starts the edge layer: the many thin lines, arrow heads and traffic dots that follow, up to
     * {@link #endLayer}, may be composed off-screen and put on the picture in one piece (in drawing order
     * with what comes before and after the layer).
     */
    default void beginLayer() {
    }

    /** Ends the edge layer. */
    default void endLayer() {
    }

    /**
     * Offers to put back the still part of the edge layer (edges and arrow heads, drawn right after
     * {@link #beginLayer}) as it was kept under an equal {@code key} by {@link #keepLayer}. Returns true when
     * the painter did, and the caller then skips drawing that part; false when the caller has to draw it.
     * The key must stand for everything the still part depends on.
     */
    default boolean restoreLayer(Object key) {
        return false;
    }

    /**
     * Like {@link #restoreLayer}, for the still part kept under {@code keptKey} moved by whole pixels
     * {@code dx, dy} (a pan). When it returns true, the caller draws the still part again only in the
     * strips that came into view, each between {@link #clipLayer} and {@link #unclipLayer}.
     */
    default boolean restoreLayerShifted(Object keptKey, int dx, int dy) {
        return false;
    }

    /** From now on, the layer is drawn on only inside this rectangle of pixels. */
    default void clipLayer(int x, int y, int w, int h) {
    }

    /** Ends {@link #clipLayer}. */
    default void unclipLayer() {
    }

    /** Keeps what the layer holds now (its still part) under {@code key}, for {@link #restoreLayer}. */
    default void keepLayer(Object key) {
    }

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
