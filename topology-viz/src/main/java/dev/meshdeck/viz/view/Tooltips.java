package dev.meshdeck.viz.view;

import dev.meshdeck.viz.model.Badge;
import dev.meshdeck.viz.model.EdgeMetrics;
import dev.meshdeck.viz.model.GraphEdge;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.TopologyGraph;

import java.util.Locale;

/** The text of the hover tooltip of a node or an edge. */
public final class Tooltips {

    private Tooltips() {
    }

    public static String of(TopologyGraph graph, GraphNode node) {
        StringBuilder b = new StringBuilder();
        b.append(node.label());
        if (!node.label().equals(node.id())) {
            b.append("  (").append(node.id()).append(')');
        }
        b.append('\n').append(node.kind().name().toLowerCase(Locale.ROOT));
        if (node.namespace() != null) {
            b.append(" in ").append(node.namespace());
        }
        if (node.version() != null) {
            b.append(", version ").append(node.version());
        }
        b.append("\nhealth: ").append(node.health().name().toLowerCase(Locale.ROOT))
                .append(", mTLS: ").append(node.mtls().name().toLowerCase(Locale.ROOT));
        double in = 0;
        double out = 0;
        for (GraphEdge e : graph.incoming(node.id())) {
            in += e.metrics().requestsPerSecond();
        }
        for (GraphEdge e : graph.outgoing(node.id())) {
            out += e.metrics().requestsPerSecond();
        }
        b.append(String.format(Locale.ROOT, "\nin %.1f rps, out %.1f rps", in, out));
        for (Badge badge : node.badges()) {
            b.append('\n').append(badge.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
        return b.toString();
    }

    public static String of(GraphEdge edge) {
        EdgeMetrics m = edge.metrics();
        StringBuilder b = new StringBuilder();
        b.append(edge.source()).append(" → ").append(edge.target()).append("  ").append(edge.protocol());
        b.append(String.format(Locale.ROOT, "\n%.1f rps, %.2f%% errors", m.requestsPerSecond(), m.errorRate() * 100));
        b.append(String.format(Locale.ROOT, "\np50 %.1f ms, p90 %.1f ms, p99 %.1f ms", m.p50Ms(), m.p90Ms(), m.p99Ms()));
        b.append(String.format(Locale.ROOT, "\nmTLS: %.0f%% of requests", edge.mtlsShare() * 100));
        if (edge.splitWeight() != null) {
            b.append(String.format(Locale.ROOT, "\nsplit weight %.0f%%", edge.splitWeight()));
        }
        return b.toString();
    }
}
