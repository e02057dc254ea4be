package dev.meshdeck.viz;

import dev.meshdeck.viz.model.EdgeMetrics;
import dev.meshdeck.viz.model.GraphEdge;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.Protocol;
import dev.meshdeck.viz.model.TopologyGraph;

/** The graphs the tests of this module share. */
public final class Fixtures {

    private Fixtures() {
    }

    /**
     * Bookinfo: ingress (external) → productpage v1 → details v1, reviews v1/v2/v3; reviews v2, v3 →
     * ratings v1. Namespace {@code bookinfo}, with ratings in namespace {@code data}.
     */
    public static TopologyGraph bookinfo() {
        TopologyGraph.Builder b = TopologyGraph.builder()
                .node(GraphNode.external("ingress"))
                .node(GraphNode.service("productpage", "bookinfo"))
                .node(GraphNode.workload("productpage-v1", "bookinfo", "productpage", "v1"))
                .node(GraphNode.service("details", "bookinfo"))
                .node(GraphNode.workload("details-v1", "bookinfo", "details", "v1"))
                .node(GraphNode.service("reviews", "bookinfo"))
                .node(GraphNode.workload("reviews-v1", "bookinfo", "reviews", "v1"))
                .node(GraphNode.workload("reviews-v2", "bookinfo", "reviews", "v2"))
                .node(GraphNode.workload("reviews-v3", "bookinfo", "reviews", "v3"))
                .node(GraphNode.service("ratings", "data"))
                .node(GraphNode.workload("ratings-v1", "data", "ratings", "v1"));
        b.edge(call("ingress", "productpage", 100));
        b.edge(split("productpage", "productpage-v1", 100, 100));
        b.edge(call("productpage-v1", "details", 100));
        b.edge(call("productpage-v1", "reviews", 100));
        b.edge(split("reviews", "reviews-v1", 34, 34));
        b.edge(split("reviews", "reviews-v2", 33, 33));
        b.edge(split("reviews", "reviews-v3", 33, 33));
        b.edge(split("details", "details-v1", 100, 100));
        b.edge(call("reviews-v2", "ratings", 33));
        b.edge(call("reviews-v3", "ratings", 33));
        b.edge(split("ratings", "ratings-v1", 66, 100));
        return b.build();
    }

    public static GraphEdge call(String source, String target, double rps) {
        return GraphEdge.of(source, target, Protocol.HTTP).withMetrics(new EdgeMetrics(rps, 0.99, 5, 12, 30))
                .withMtlsShare(1);
    }

    public static GraphEdge split(String service, String workload, double rps, double weight) {
        return call(service, workload, rps).withSplitWeight(weight);
    }
}
