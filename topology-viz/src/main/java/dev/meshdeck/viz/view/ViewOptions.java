package dev.meshdeck.viz.view;

import java.util.Objects;

/**
 * The user's display choices: the edge label, animated traffic dots, whether edges without traffic are
 * hidden, which nodes are shown, and the minimap.
 */
public record ViewOptions(EdgeLabel edgeLabel, boolean trafficDots, boolean hideIdleEdges, NodeFilter filter,
                          boolean minimap) {

    public static final ViewOptions DEFAULT = new ViewOptions(EdgeLabel.REQUESTS_PER_SECOND, true, false,
            NodeFilter.ALL, true);

    public ViewOptions {
        Objects.requireNonNull(edgeLabel, "edgeLabel (expected: one of NONE, REQUESTS_PER_SECOND, ERROR_PERCENT, P99)");
        filter = filter == null ? NodeFilter.ALL : filter;
    }

    public ViewOptions withEdgeLabel(EdgeLabel label) {
        return new ViewOptions(label, trafficDots, hideIdleEdges, filter, minimap);
    }

    public ViewOptions withTrafficDots(boolean on) {
        return new ViewOptions(edgeLabel, on, hideIdleEdges, filter, minimap);
    }

    public ViewOptions withHideIdleEdges(boolean on) {
        return new ViewOptions(edgeLabel, trafficDots, on, filter, minimap);
    }

    public ViewOptions withFilter(NodeFilter newFilter) {
        return new ViewOptions(edgeLabel, trafficDots, hideIdleEdges, newFilter, minimap);
    }

    public ViewOptions withMinimap(boolean on) {
        return new ViewOptions(edgeLabel, trafficDots, hideIdleEdges, filter, on);
    }
}
