package dev.meshdeck.viz.render.internal;

/**
 * A line of text as coverage (0..255 a pixel), to be laid on a {@link Raster} in any colour: rendered once
 * by JavaFX (see {@code TextMasks}), then drawn in plain Java, on any thread. Made empty and filled in once
 * ({@link #fill}) before anything draws it; immutable after that.
 */
public final class TextMask {

    private int width;
    private int height;
    private byte[] coverage;
    /** Where the pen starts (x) and the baseline lies (y), in the mask's pixels. */
    private int originX;
    private int baseline;
    /** How far the pen advances over the text: where centred or right-aligned text is placed from. */
    private double advance;
    private boolean filled;

    /**
     * Fills the mask in: {@code width x height} coverage values row by row, the pen's start and the baseline
     * in them, and the text's advance (pixels).
     */
    public void fill(int width, int height, byte[] coverage, int originX, int baseline, double advance) {
        if (filled) {
            throw new IllegalStateException("text mask filled in twice (expected: once)");
        }
        if (width < 0 || height < 0 || coverage.length < width * height) {
            throw new IllegalArgumentException("text mask of " + coverage.length + " values as " + width + " x "
                    + height + " (expected: at least width x height)");
        }
        this.width = width;
        this.height = height;
        this.coverage = coverage;
        this.originX = originX;
        this.baseline = baseline;
        this.advance = advance;
        this.filled = true;
    }

    public boolean isFilled() {
        return filled;
    }

    /** How many pixels the mask holds (0 before it is filled in). */
    public int pixels() {
        return width * height;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    byte[] coverage() {
        return coverage;
    }

    int originX() {
        return originX;
    }

    int baseline() {
        return baseline;
    }

    double advance() {
        return advance;
    }
}
