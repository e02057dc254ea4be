package dev.meshdeck.viz.layout;

import dev.meshdeck.viz.model.GraphNode;

/** How big each node is drawn; layouts leave room accordingly and the renderer draws to the same sizes. */
@FunctionalInterface
public interface NodeSizing {

    /** Service 150 x 36, workload 120 x 28, external 130 x 32, collapsed namespace 170 x 48. */
    NodeSizing DEFAULT = node -> switch (node.kind()) {
        case SERVICE -> Sizes.SERVICE;
        case WORKLOAD -> Sizes.WORKLOAD;
        case EXTERNAL -> Sizes.EXTERNAL;
        case NAMESPACE -> Sizes.NAMESPACE;
    };

    NodeSize sizeOf(GraphNode node);

    /** The sizes of {@link #DEFAULT}. */
    final class Sizes {
        public static final NodeSize SERVICE = new NodeSize(150, 36);
        public static final NodeSize WORKLOAD = new NodeSize(120, 28);
        public static final NodeSize EXTERNAL = new NodeSize(130, 32);
        public static final NodeSize NAMESPACE = new NodeSize(170, 48);

        private Sizes() {
        }
    }
}
