package dev.meshdeck.viz.layout;

/** The width and height a node takes on screen, in layout units. */
public record NodeSize(double width, double height) {

    public NodeSize {
        if (!(width > 0 && height > 0) || !Double.isFinite(width) || !Double.isFinite(height)) {
            throw new IllegalArgumentException("node size " + width + " x " + height + " (expected: positive, finite)");
        }
    }
}
