package dev.meshdeck.viz.render.internal;

/** Puts premultiplied ARGB pictures one over another, in plain Java (so that any thread may do it). */
public final class Layers {

    private Layers() {
    }

    /**
     * Writes {@code top} over {@code middle} over {@code bottom} (source-over, premultiplied ARGB) into
     * {@code out}, for a rectangle of {@code width x height} pixels. {@code top} has the rectangle's top-left
     * pixel at index {@code topAt} and rows of {@code topRow}; the others at {@code at}, rows of {@code row}.
     * {@code out} may be one of the others when it has the same geometry.
     */
    public static void over(int[] top, int topAt, int topRow, int[] middle, int[] bottom, int[] out, int at, int row,
                            int width, int height) {
        for (int y = 0; y < height; y++) {
            int t = topAt + y * topRow;
            int o = at + y * row;
            for (int x = 0; x < width; x++) {
                int m = middle[o + x];
                int under = m == 0 ? bottom[o + x] : over(m, bottom[o + x]);
                int p = top[t + x];
                out[o + x] = p == 0 ? under : over(p, under);
            }
        }
    }

    /** One premultiplied pixel over another. */
    static int over(int front, int back) {
        int fa = front >>> 24;
        if (fa == 0xFF || back == 0) {
            return front;
        }
        if (fa == 0) {
            return back;
        }
        int inv = 255 - fa;
        int a = fa + ((back >>> 24) * inv + 127) / 255;
        int r = ((front >> 16) & 0xFF) + (((back >> 16) & 0xFF) * inv + 127) / 255;
        int g = ((front >> 8) & 0xFF) + (((back >> 8) & 0xFF) * inv + 127) / 255;
        int b = (front & 0xFF) + ((back & 0xFF) * inv + 127) / 255;
        return (Math.min(255, a) << 24) | (Math.min(255, r) << 16) | (Math.min(255, g) << 8) | Math.min(255, b);
    }
}
