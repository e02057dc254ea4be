package dev.meshdeck.viz.view;

import dev.meshdeck.viz.layout.Rect;

/**
 * How layout (world) coordinates map to the screen: {@code screen = world * scale + offset}. Immutable;
 * every change gives a new viewport. Zoom stays within {@link #MIN_SCALE}..{@link #MAX_SCALE}.
 */
public record Viewport(double scale, double offsetX, double offsetY) {

    public static final double MIN_SCALE = 0.01;
    public static final double MAX_SCALE = 8;
    public static final Viewport IDENTITY = new Viewport(1, 0, 0);

    public Viewport {
        if (!(scale >= MIN_SCALE && scale <= MAX_SCALE)) {
            throw new IllegalArgumentException("viewport scale: " + scale + " (expected: " + MIN_SCALE + ".."
                    + MAX_SCALE + ")");
        }
        if (!Double.isFinite(offsetX) || !Double.isFinite(offsetY)) {
            throw new IllegalArgumentException("viewport offset (" + offsetX + ", " + offsetY
                    + ") (expected: finite numbers)");
        }
    }

    public double toScreenX(double worldX) {
        return worldX * scale + offsetX;
    }

    public double toScreenY(double worldY) {
        return worldY * scale + offsetY;
    }

    public double toWorldX(double screenX) {
        return (screenX - offsetX) / scale;
    }

    public double toWorldY(double screenY) {
        return (screenY - offsetY) / scale;
    }

    /** The viewport moved by {@code dx, dy} screen pixels (the picture follows the mouse). */
    public Viewport panBy(double dx, double dy) {
        return new Viewport(scale, offsetX + dx, offsetY + dy);
    }

    /** Zoomed by {@code factor} (clamped to the allowed range) keeping the world point under the screen point fixed. */
    public Viewport zoomAt(double factor, double screenX, double screenY) {
        double s = clamp(scale * factor);
        double wx = toWorldX(screenX);
        double wy = toWorldY(screenY);
        return new Viewport(s, screenX - wx * s, screenY - wy * s);
    }

    /** The world point {@code (worldX, worldY)} in the middle of a {@code width x height} screen, same zoom. */
    public Viewport centeredOn(double worldX, double worldY, double width, double height) {
        return new Viewport(scale, width / 2 - worldX * scale, height / 2 - worldY * scale);
    }

    /**
     * The viewport that shows all of {@code bounds} centred on a {@code width x height} screen with
     * {@code margin} pixels around it, zoomed in no further than 1:1 (a small graph is not blown up).
     */
    public static Viewport fit(Rect bounds, double width, double height, double margin) {
        if (bounds == null || width <= 2 * margin || height <= 2 * margin) {
            return IDENTITY;
        }
        double sx = (width - 2 * margin) / Math.max(1, bounds.width());
        double sy = (height - 2 * margin) / Math.max(1, bounds.height());
        double s = clamp(Math.min(1, Math.min(sx, sy)));
        double cx = bounds.minX() + bounds.width() / 2;
        double cy = bounds.minY() + bounds.height() / 2;
        return new Viewport(s, width / 2 - cx * s, height / 2 - cy * s);
    }

    /** The part of the world a {@code width x height} screen shows. */
    public Rect visibleWorld(double width, double height) {
        return new Rect(toWorldX(0), toWorldY(0), Math.max(0, width) / scale, Math.max(0, height) / scale);
    }

    private static double clamp(double s) {
        return Math.max(MIN_SCALE, Math.min(MAX_SCALE, s));
    }
}
