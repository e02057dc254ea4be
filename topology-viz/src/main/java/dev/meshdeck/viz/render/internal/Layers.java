package dev.meshdeck.viz.render.internal;

/** Puts premultiplied ARGB pictures one over another, in plain Java (so that any thread may do it). */
public final class Layers {

    private Layers() {
    }

    /**
     * Writes {@code front} over {@code back} (source-over, premultiplied ARGB) into {@code out}, for a
     * rectangle of {@code width x height} pixels whose top-left pixel is at index {@code at} of each, in rows
     * of {@code row}. {@code out} may be one of the others.
     */
    public static void over(int[] front, int[] back, int[] out, int at, int row, int width, int height) {
        for (int y = 0; y < height; y++) {
            int o = at + y * row;
            for (int x = 0; x < width; x++) {
                int f = front[o + x];
                out[o + x] = f == 0 ? back[o + x] : over(f, back[o + x]);
            }
        }
    }

    /**
     * Writes {@code front} over {@code back} into {@code out}, each given as an array, the index of the
     * rectangle's top-left pixel in it and its row length (for a part of a picture put into the whole).
     */
    public static void over(int[] front, int frontAt, int frontRow, int[] back, int backAt, int backRow, int[] out,
                            int outAt, int outRow, int width, int height) {
        for (int y = 0; y < height; y++) {
            int f = frontAt + y * frontRow;
            int b = backAt + y * backRow;
            int o = outAt + y * outRow;
            for (int x = 0; x < width; x++) {
                int p = front[f + x];
                out[o + x] = p == 0 ? back[b + x] : over(p, back[b + x]);
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
