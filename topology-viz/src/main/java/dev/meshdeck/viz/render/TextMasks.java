package dev.meshdeck.viz.render;

import dev.meshdeck.viz.render.internal.TextMask;
import javafx.geometry.Bounds;
import javafx.geometry.Rectangle2D;
import javafx.geometry.VPos;
import javafx.scene.Group;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of the picture as {@link TextMask}s, kept by text, size (to half a pixel) and weight: a label
 * asked for again costs nothing, so that the still picture can be drawn in plain Java, off the JavaFX
 * thread. The masks asked for since the last {@link #renderMissing} are rendered together by JavaFX (the
 * texts on one canvas, one snapshot read back). The least recently used are forgotten beyond
 * {@link #BUDGET_PIXELS}. JavaFX thread only.
 */
final class TextMasks {

    /** How many pixels of masks are kept at most (one byte each). */
    static final int BUDGET_PIXELS = 4_000_000;
    /** Pixels around each text on the canvas, for antialiasing that reaches beyond its bounds. */
    private static final int PAD = 2;
    /** How wide the canvas of the masks to render is (wider only for a longer text). */
    private static final int ROW = 1024;
    /** How tall it gets at most: more new texts are rendered in several snapshots. */
    private static final int MAX_HEIGHT = 2048;

    private record Key(String text, int halfPixels, boolean bold) {
    }

    private final LinkedHashMap<Key, TextMask> masks = new LinkedHashMap<>(256, 0.75f, true);
    private final List<Key> missing = new ArrayList<>();
    private final Map<Integer, Font> fonts = new HashMap<>();
    private final Canvas canvas = new Canvas();
    private final Group group = new Group(canvas);
    private final Text measure = new Text();
    private long pixels;
    private long renderings;

    /** The mask of {@code text} at {@code size} (pixels), rendered by the next {@link #renderMissing} if new. */
    TextMask get(String text, double size, boolean bold) {
        Key k = new Key(text, (int) Math.round(size * 2), bold);
        TextMask m = masks.get(k);
        if (m == null) {
            m = new TextMask();
            masks.put(k, m);
            missing.add(k);
        }
        return m;
    }

    /** How many times masks were rendered (a snapshot each), for tests. */
    long renderings() {
        return renderings;
    }

    /** How many masks are kept. */
    int size() {
        return masks.size();
    }

    /** Renders the masks asked for since the last call, on one canvas and one snapshot (or a few, when many). */
    void renderMissing() {
        if (missing.isEmpty()) {
            return;
        }
        for (int done = 0; done < missing.size(); ) {
            done += render(missing.subList(done, missing.size()));
        }
        missing.clear();
        renderings++;
        for (Iterator<TextMask> it = masks.values().iterator(); it.hasNext() && pixels > BUDGET_PIXELS; ) {
            pixels -= it.next().pixels();
            it.remove();
        }
    }

    /** Renders the first of these masks that fit on the canvas (at least one); returns how many. */
    private int render(List<Key> batch) {
        int n = batch.size();
        int[] x = new int[n];
        int[] y = new int[n];
        int[] w = new int[n];
        int[] h = new int[n];
        int[] ascent = new int[n];
        double[] advance = new double[n];
        int cx = 0;
        int cy = 0;
        int rowHeight = 0;
        int width = 1;
        for (int i = 0; i < n; i++) {
            Key k = batch.get(i);
            measure.setFont(font(k));
            measure.setText(k.text());
            Bounds b = measure.getLayoutBounds();
            advance[i] = b.getWidth();
            ascent[i] = (int) Math.ceil(-b.getMinY());
            w[i] = (int) Math.ceil(b.getWidth()) + 2 * PAD;
            h[i] = ascent[i] + (int) Math.ceil(b.getMaxY()) + 2 * PAD;
            if (cx > 0 && cx + w[i] > ROW) {
                if (cy + rowHeight + h[i] > MAX_HEIGHT) {
                    // the rest in the next snapshot
                    n = i;
                    break;
                }
                cx = 0;
                cy += rowHeight;
                rowHeight = 0;
            }
            x[i] = cx;
            y[i] = cy;
            cx += w[i];
            rowHeight = Math.max(rowHeight, h[i]);
            width = Math.max(width, cx);
        }
        int height = Math.max(1, cy + rowHeight);
        canvas.setWidth(width);
        canvas.setHeight(height);
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, width, height);
        g.setFill(Color.BLACK);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.BASELINE);
        for (int i = 0; i < n; i++) {
            g.setFont(font(batch.get(i)));
            g.fillText(batch.get(i).text(), x[i] + PAD, y[i] + PAD + ascent[i]);
        }
        SnapshotParameters params = new SnapshotParameters();
        params.setFill(Color.TRANSPARENT);
        params.setViewport(new Rectangle2D(0, 0, width, height));
        WritableImage image = group.snapshot(params, null);
        int[] argb = new int[width * height];
        image.getPixelReader().getPixels(0, 0, width, height, PixelFormat.getIntArgbPreInstance(), argb, 0, width);
        for (int i = 0; i < n; i++) {
            byte[] coverage = new byte[w[i] * h[i]];
            for (int row = 0; row < h[i]; row++) {
                int from = (y[i] + row) * width + x[i];
                for (int col = 0; col < w[i]; col++) {
                    coverage[row * w[i] + col] = (byte) (argb[from + col] >>> 24);
                }
            }
            masks.get(batch.get(i)).fill(w[i], h[i], coverage, PAD, PAD + ascent[i], advance[i]);
            pixels += (long) w[i] * h[i];
        }
        return n;
    }

    private Font font(Key k) {
        int key = k.halfPixels() * 2 + (k.bold() ? 1 : 0);
        return fonts.computeIfAbsent(key, c -> Font.font("System", (c & 1) == 1 ? FontWeight.BOLD : FontWeight.NORMAL,
                (c >> 1) / 2.0));
    }
}
