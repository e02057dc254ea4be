package dev.meshdeck.viz.view;

import java.util.Map;

/**
 * The user is dragging a handle of the split bar of service {@code serviceId}: the weights (percent, by
 * version, in the bar's order) as they would be with the handle where it is now. Sent on every move and
 * once more with {@code finished} when the mouse is released.
 */
public record SplitWeightsDragged(String serviceId, Map<String, Double> weights, boolean finished) {

    public SplitWeightsDragged {
        weights = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(weights));
    }
}
