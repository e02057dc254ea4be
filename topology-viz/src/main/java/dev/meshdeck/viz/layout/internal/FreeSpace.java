package dev.meshdeck.viz.layout.internal;

import dev.meshdeck.viz.layout.Rect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The boxes already placed, indexed in vertical strips, to find the free place nearest to a wanted one
 * by moving only up or down.
 */
public final class FreeSpace {

    private static final double STRIP = 200;

    private final double gap;
    private final Map<Long, List<Rect>> strips = new HashMap<>();

    public FreeSpace(double gap) {
        this.gap = gap;
    }

    public void add(Rect r) {
        for (long s = strip(r.minX()); s <= strip(r.maxX()); s++) {
            strips.computeIfAbsent(s, k -> new ArrayList<>()).add(r);
        }
    }

    /**
     * The centre y nearest to {@code wantedY} where a box of {@code width} x {@code height} centred at
     * {@code x} keeps at least the gap from every placed box.
     */
    public double nearestFreeY(double x, double wantedY, double width, double height) {
        double x0 = x - width / 2 - gap;
        double x1 = x + width / 2 + gap;
        List<double[]> busy = new ArrayList<>();
        for (long s = strip(x0); s <= strip(x1); s++) {
            List<Rect> list = strips.get(s);
            if (list == null) {
                continue;
            }
            for (Rect r : list) {
                if (r.minX() < x1 && r.maxX() > x0) {
                    // the centre may not be in (minY - gap - h/2, maxY + gap + h/2)
                    busy.add(new double[] {r.minY() - gap - height / 2, r.maxY() + gap + height / 2});
                }
            }
        }
        if (busy.isEmpty()) {
            return wantedY;
        }
        busy.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        // merge into disjoint forbidden intervals, then pick the nearest allowed point
        List<double[]> merged = new ArrayList<>();
        for (double[] iv : busy) {
            if (!merged.isEmpty() && iv[0] < merged.get(merged.size() - 1)[1]) {
                double[] last = merged.get(merged.size() - 1);
                last[1] = Math.max(last[1], iv[1]);
            } else {
                merged.add(new double[] {iv[0], iv[1]});
            }
        }
        for (double[] iv : merged) {
            if (wantedY > iv[0] && wantedY < iv[1]) {
                return wantedY - iv[0] <= iv[1] - wantedY ? iv[0] : iv[1];
            }
        }
        return wantedY;
    }

    private static long strip(double x) {
        return (long) Math.floor(x / STRIP);
    }
}
