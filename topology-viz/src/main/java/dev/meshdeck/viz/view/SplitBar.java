package dev.meshdeck.viz.view;

import dev.meshdeck.viz.layout.Rect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The traffic split of a service drawn as a bar along the bottom of its node: one segment per version,
 * as wide as its weight, with a handle between neighbouring segments. Dragging handle {@code i} moves
 * weight between versions {@code i} and {@code i + 1}; nothing else changes.
 *
 * @param serviceId the service node
 * @param bar       where the bar is, in world coordinates
 * @param versions  the versions (the workloads' {@code version}, else their id), in graph order
 * @param weights   the weights of the versions, in percent
 */
public record SplitBar(String serviceId, Rect bar, List<String> versions, double[] weights) {

    /** Half the width of a handle, and how far from it a press still grabs it, in world units. */
    public static final double HANDLE_HALF_WIDTH = 4;
    public static final double HANDLE_HEIGHT = 14;

    public SplitBar {
        versions = List.copyOf(versions);
        weights = weights.clone();
        if (versions.size() != weights.length || versions.size() < 2) {
            throw new IllegalArgumentException("split bar of '" + serviceId + "': " + versions.size() + " versions, "
                    + weights.length + " weights (expected: the same number, at least 2)");
        }
    }

    public double total() {
        double t = 0;
        for (double w : weights) {
            t += w;
        }
        return t;
    }

    /** The number of handles: one between each pair of neighbouring versions. */
    public int handleCount() {
        return weights.length - 1;
    }

    /** The world x of the left end of segment {@code i} (for {@code i == versions().size()}, the bar's right end). */
    public double segmentStart(int i, double[] w) {
        double total = 0;
        double before = 0;
        for (int k = 0; k < w.length; k++) {
            total += w[k];
            if (k < i) {
                before += w[k];
            }
        }
        return total <= 0 ? bar.minX() + bar.width() * i / w.length : bar.minX() + bar.width() * before / total;
    }

    /** The world x of handle {@code h} (between versions {@code h} and {@code h + 1}). */
    public double handleX(int h) {
        return segmentStart(h + 1, weights);
    }

    /** The handle under world point {@code (x, y)}, or -1. */
    public int handleAt(double x, double y) {
        double cy = bar.minY() + bar.height() / 2;
        if (Math.abs(y - cy) > HANDLE_HEIGHT / 2) {
            return -1;
        }
        int best = -1;
        double bestDistance = HANDLE_HALF_WIDTH + 1;
        for (int h = 0; h < handleCount(); h++) {
            double d = Math.abs(x - handleX(h));
            if (d <= bestDistance) {
                best = h;
                bestDistance = d;
            }
        }
        return best;
    }

    /**
     * The weights after handle {@code h} was dragged to world x {@code x}: versions {@code h} and
     * {@code h + 1} share their combined weight at that point (whole percents), the others keep theirs.
     */
    public Map<String, Double> weightsWithHandleAt(int h, double x) {
        if (h < 0 || h >= handleCount()) {
            throw new IllegalArgumentException("handle " + h + " of the split of '" + serviceId + "' (expected: 0.."
                    + (handleCount() - 1) + ")");
        }
        double total = total();
        double[] w = weights.clone();
        double left = segmentStart(h, w);
        double right = segmentStart(h + 2, w);
        double pair = w[h] + w[h + 1];
        double fraction = right > left ? (Math.max(left, Math.min(right, x)) - left) / (right - left) : 0.5;
        double first = total <= 0 ? 0 : Math.round(pair * fraction);
        w[h] = first;
        w[h + 1] = pair - first;
        Map<String, Double> result = new LinkedHashMap<>();
        for (int i = 0; i < w.length; i++) {
            result.put(versions.get(i), w[i]);
        }
        return result;
    }

    /** The weights in version order, with the versions named in {@code override} replaced. */
    public double[] weightsWith(Map<String, Double> override) {
        double[] w = weights.clone();
        for (int i = 0; i < w.length; i++) {
            Double o = override.get(versions.get(i));
            if (o != null) {
                w[i] = o;
            }
        }
        return w;
    }
}
