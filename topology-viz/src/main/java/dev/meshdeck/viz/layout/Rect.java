package dev.meshdeck.viz.layout;

/** An axis-aligned rectangle: a node's box, a service box, a namespace box, the bounds of a layout. */
public record Rect(double minX, double minY, double width, double height) {

    public Rect {
        if (!(width >= 0 && height >= 0)) {
            throw new IllegalArgumentException("rect " + width + " x " + height + " (expected: width, height >= 0)");
        }
    }

    /** The box of size {@code size} centred on {@code center}. */
    public static Rect centeredAt(Point center, NodeSize size) {
        return new Rect(center.x() - size.width() / 2, center.y() - size.height() / 2, size.width(), size.height());
    }

    public double maxX() {
        return minX + width;
    }

    public double maxY() {
        return minY + height;
    }

    public Point center() {
        return new Point(minX + width / 2, minY + height / 2);
    }

    public boolean contains(double x, double y) {
        return x >= minX && x <= maxX() && y >= minY && y <= maxY();
    }

    /** Whether the two overlap with an area (touching edges do not count). */
    public boolean intersects(Rect o) {
        return minX < o.maxX() && o.minX < maxX() && minY < o.maxY() && o.minY < maxY();
    }

    /** The smallest rectangle holding both. */
    public Rect union(Rect o) {
        double x0 = Math.min(minX, o.minX);
        double y0 = Math.min(minY, o.minY);
        return new Rect(x0, y0, Math.max(maxX(), o.maxX()) - x0, Math.max(maxY(), o.maxY()) - y0);
    }

    /** This rectangle grown by {@code margin} on every side. */
    public Rect grow(double margin) {
        return new Rect(minX - margin, minY - margin, width + 2 * margin, height + 2 * margin);
    }
}
