package dev.meshdeck.viz.layout;

/** A position in layout coordinates (y grows downwards, as on a JavaFX canvas). */
public record Point(double x, double y) {

    public static final Point ORIGIN = new Point(0, 0);

    public Point {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("point (" + x + ", " + y + ") (expected: finite coordinates)");
        }
    }

    public Point plus(double dx, double dy) {
        return new Point(x + dx, y + dy);
    }

    public double distanceTo(Point other) {
        return Math.hypot(x - other.x, y - other.y);
    }
}
