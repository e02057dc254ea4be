package dev.meshdeck.viz.model;

import java.util.Objects;

/**
 * A directed edge: {@code source} calls {@code target} (ids of nodes of the same graph) over
 * {@code protocol}, with live {@code metrics} and the share of its requests that were mTLS
 * ({@code mtlsShare}, 0..1). {@code splitWeight} is the traffic-split weight in percent (0..100) on an
 * edge from a service to one of its versions, and {@code null} on every other edge.
 */
public record GraphEdge(String id, String source, String target, Protocol protocol, EdgeMetrics metrics,
                        double mtlsShare, Double splitWeight) {

    public GraphEdge {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("edge id: '" + id + "' (expected: a non-blank string)");
        }
        if (source == null || source.isBlank() || target == null || target.isBlank()) {
            throw new IllegalArgumentException("edge '" + id + "': source '" + source + "', target '" + target
                    + "' (expected: two node ids)");
        }
        protocol = protocol == null ? Protocol.HTTP : protocol;
        metrics = metrics == null ? EdgeMetrics.NONE : metrics;
        if (!(mtlsShare >= 0 && mtlsShare <= 1)) {
            throw new IllegalArgumentException("edge '" + id + "': mtlsShare " + mtlsShare + " (expected: 0..1)");
        }
        if (splitWeight != null && !(splitWeight >= 0 && splitWeight <= 100)) {
            throw new IllegalArgumentException("edge '" + id + "': splitWeight " + splitWeight
                    + " (expected: 0..100 percent, or none)");
        }
    }

    /** An edge with the id {@code source->target}, no traffic yet and no mTLS. */
    public static GraphEdge of(String source, String target, Protocol protocol) {
        return new GraphEdge(defaultId(source, target), source, target, protocol, null, 0, null);
    }

    /** The id {@link #of} gives an edge: {@code source->target}. */
    public static String defaultId(String source, String target) {
        return source + "->" + target;
    }

    public GraphEdge withMetrics(EdgeMetrics newMetrics) {
        return new GraphEdge(id, source, target, protocol, Objects.requireNonNull(newMetrics, "metrics"),
                mtlsShare, splitWeight);
    }

    public GraphEdge withMtlsShare(double newShare) {
        return new GraphEdge(id, source, target, protocol, metrics, newShare, splitWeight);
    }

    public GraphEdge withSplitWeight(Double newWeight) {
        return new GraphEdge(id, source, target, protocol, metrics, mtlsShare, newWeight);
    }

    /** Whether {@code other} differs from this edge only in metrics, mTLS share or split weight. */
    public boolean sameStructureAs(GraphEdge other) {
        return id.equals(other.id) && source.equals(other.source) && target.equals(other.target)
                && protocol == other.protocol;
    }
}
