package dev.meshdeck.viz.render.internal;

import java.util.Arrays;

/**
 * Shapes written down in order, to be drawn later ({@link #drawOn}) by another thread: writing down the
 * ~3000 edges of a large graph costs well under a millisecond, drawing them a hundred times more. Not
 * thread-safe: one thread writes, then hands the commands over and writes no more.
 */
public final class RasterCommands implements RasterShapes {

    private static final int FILL = 0;
    private static final int FILL_ROUND_RECT = 1;
    private static final int STROKE_ROUND_RECT = 2;
    private static final int DISC = 3;
    private static final int POLYGON = 4;
    private static final int LINE = 5;
    private static final int ARC = 6;
    private static final int TEXT = 7;

    /** The text masks of the text commands, in order. */
    private TextMask[] masks = new TextMask[64];
    private int maskCount;
    /** Per command: its kind, its colour, and (polygons) how many points, (text) its alignment. */
    private int[] ops = new int[3 * 256];
    private int opCount;
    private double[] args = new double[6 * 256];
    private int argCount;

    /** How many shapes were written down. */
    public int size() {
        return opCount / 3;
    }

    @Override
    public void fill(int argb) {
        op(FILL, argb, 0);
    }

    @Override
    public void fillRoundRect(double x, double y, double w, double h, double arc, int argb) {
        op(FILL_ROUND_RECT, argb, 0);
        args(x, y, w, h, arc);
    }

    @Override
    public void strokeRoundRect(double x, double y, double w, double h, double arc, int argb, double lineWidth) {
        op(STROKE_ROUND_RECT, argb, 0);
        args(x, y, w, h, arc);
        args(lineWidth);
    }

    @Override
    public void disc(double cx, double cy, double r, int argb) {
        op(DISC, argb, 0);
        args(cx, cy, r);
    }

    @Override
    public void convexPolygon(double[] xs, double[] ys, int n, int argb) {
        op(POLYGON, argb, n);
        room(2 * n);
        System.arraycopy(xs, 0, args, argCount, n);
        System.arraycopy(ys, 0, args, argCount + n, n);
        argCount += 2 * n;
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, int argb, double lineWidth) {
        op(LINE, argb, 0);
        room(5);
        args[argCount++] = x1;
        args[argCount++] = y1;
        args[argCount++] = x2;
        args[argCount++] = y2;
        args[argCount++] = lineWidth;
    }

    @Override
    public void strokeArc(double cx, double cy, double r, double startDeg, double extentDeg, int argb,
                          double lineWidth) {
        op(ARC, argb, 0);
        args(cx, cy, r, startDeg, extentDeg, lineWidth);
    }

    @Override
    public void text(TextMask mask, double x, double y, int align, int argb) {
        op(TEXT, argb, align);
        if (maskCount == masks.length) {
            masks = Arrays.copyOf(masks, masks.length * 2);
        }
        masks[maskCount++] = mask;
        args(x, y);
    }

    /** Draws the shapes written down, in order, on {@code target}. */
    public void drawOn(RasterShapes target) {
        drawOn(target, 0, 0);
    }

    /**
     * Draws the shapes written down, in order, on {@code target}, moved by {@code dx, dy} (a raster of a part
     * of the picture: moved by minus that part's corner).
     */
    public void drawOn(RasterShapes target, double dx, double dy) {
        int a = 0;
        int m = 0;
        double[] xs = new double[8];
        double[] ys = new double[8];
        for (int i = 0; i < opCount; i += 3) {
            int argb = ops[i + 1];
            switch (ops[i]) {
                case FILL -> target.fill(argb);
                case FILL_ROUND_RECT -> {
                    target.fillRoundRect(args[a] + dx, args[a + 1] + dy, args[a + 2], args[a + 3], args[a + 4], argb);
                    a += 5;
                }
                case STROKE_ROUND_RECT -> {
                    target.strokeRoundRect(args[a] + dx, args[a + 1] + dy, args[a + 2], args[a + 3], args[a + 4], argb,
                            args[a + 5]);
                    a += 6;
                }
                case DISC -> {
                    target.disc(args[a] + dx, args[a + 1] + dy, args[a + 2], argb);
                    a += 3;
                }
                case POLYGON -> {
                    int n = ops[i + 2];
                    if (xs.length < n) {
                        xs = new double[n];
                        ys = new double[n];
                    }
                    for (int k = 0; k < n; k++) {
                        xs[k] = args[a + k] + dx;
                        ys[k] = args[a + n + k] + dy;
                    }
                    target.convexPolygon(xs, ys, n, argb);
                    a += 2 * n;
                }
                case LINE -> {
                    target.line(args[a] + dx, args[a + 1] + dy, args[a + 2] + dx, args[a + 3] + dy, argb, args[a + 4]);
                    a += 5;
                }
                case ARC -> {
                    target.strokeArc(args[a] + dx, args[a + 1] + dy, args[a + 2], args[a + 3], args[a + 4], argb, args[a + 5]);
                    a += 6;
                }
                case TEXT -> {
                    target.text(masks[m++], args[a] + dx, args[a + 1] + dy, ops[i + 2], argb);
                    a += 2;
                }
                default -> throw new IllegalStateException("command " + ops[i] + " (expected: 0.." + TEXT + ")");
            }
        }
    }

    private void op(int kind, int argb, int n) {
        if (opCount + 3 > ops.length) {
            ops = Arrays.copyOf(ops, ops.length * 2);
        }
        ops[opCount++] = kind;
        ops[opCount++] = argb;
        ops[opCount++] = n;
    }

    private void room(int n) {
        if (argCount + n > args.length) {
            args = Arrays.copyOf(args, Math.max(args.length * 2, argCount + n));
        }
    }

    private void args(double... values) {
        room(values.length);
        System.arraycopy(values, 0, args, argCount, values.length);
        argCount += values.length;
    }
}
