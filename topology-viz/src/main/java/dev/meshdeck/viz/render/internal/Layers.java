package dev.meshdeck.viz.render.internal;

/** Puts premultiplied ARGB pictures one over another, in plain Java (so that any thread may do it). */
public final class Layers {

    private Layers() {
    }

    /**
     * Writes {@code front} over {@code back} (source-over, premultiplied ARGB) into {@code out}, for a
     * rectangle of {@code width x height} pixels; each picture is given as an array, the index of the
     * rectangle's top-left pixel in it, and its row length. {@code out} may be {@code front} or {@code back}.
     */
    public static void over(int[] front, int frontAt, int frontRow, int[] back, int backAt, int backRow, int[] out,
                            int outAt, int outRow, int width, int height) {
        for (int y = 0; y < height; y++) {
            int f = frontAt + y * frontRow;
            int b = backAt + y * backRow;
            int o = outAt + y * outRow;
            for (int x = 0; x < width; x++) {
                out[o + x] = over(front[f + x], back[b + x]);
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
