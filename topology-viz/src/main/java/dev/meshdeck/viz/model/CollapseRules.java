package dev.meshdeck.viz.model;

/**
 * How {@link NamespaceCollapse} sums up a namespace, so that a collapsed view of a large mesh says what a
 * platform engineer needs to know instead of painting everything in its worst colour.
 *
 * <p><b>Health of a namespace node</b>, judged over its services (a service node stands for its versions;
 * a workload of no service counts on its own) that are neither idle nor unknown: FAILING when at least
 * {@code failingShare} of them fail, DEGRADED when at least {@code degradedShare} of them are degraded or
 * failing, else HEALTHY; IDLE when none is judged but some are idle, else UNKNOWN. One failing service out of
 * forty does not turn its namespace red; its label still counts it as unhealthy.
 *
 * <p><b>Edges</b>: a merged edge (one with a namespace node at an end) is kept when it is among the
 * {@code busiestEdgesPerNode} busiest (by requests per second) outgoing edges of its source or incoming edges
 * of its target, or when it fails (an error rate of at least {@code failingEdgeErrorRate}) and loses the most
 * requests per second of its source's outgoing or its target's incoming edges (so every node shows where it
 * loses most); the other, quieter merged edges are left out. Edges between nodes that are not collapsed are always kept. {@code busiestEdgesPerNode}
 * 0 keeps every merged edge.
 *
 * @param degradedShare        share of judged services degraded or failing from which a namespace is DEGRADED (0..1]
 * @param failingShare         share of judged services failing from which a namespace is FAILING (0..1]
 * @param busiestEdgesPerNode  merged edges kept per node and direction, by traffic (0: all)
 * @param failingEdgeErrorRate error rate from which a merged edge counts as failing (0..1]
 */
public record CollapseRules(double degradedShare, double failingShare, int busiestEdgesPerNode,
                            double failingEdgeErrorRate) {

    /**
     * 15 % of the services degraded or failing make a namespace DEGRADED, 20 % failing make it FAILING (the
     * share at which Kiali calls a workload's requests failing); the 3 busiest merged edges per node and
     * direction are kept, and per node and direction the failing one (at least 20 % errors) that loses most.
     */
    public static final CollapseRules DEFAULT = new CollapseRules(0.15, 0.2, 3, 0.2);

    /** The default health rules, keeping every merged edge. */
    public static final CollapseRules KEEP_ALL_EDGES = new CollapseRules(0.15, 0.2, 0, 0.2);

    /** Shares are compared with this slack, so that 1 of 5 is 20 % whatever the rounding. */
    private static final double EPSILON = 1e-9;

    public CollapseRules {
        if (!(degradedShare > 0 && degradedShare <= 1)) {
            throw new IllegalArgumentException("degradedShare: " + degradedShare + " (expected: a share in (0, 1])");
        }
        if (!(failingShare > 0 && failingShare <= 1)) {
            throw new IllegalArgumentException("failingShare: " + failingShare + " (expected: a share in (0, 1])");
        }
        if (busiestEdgesPerNode < 0) {
            throw new IllegalArgumentException("busiestEdgesPerNode: " + busiestEdgesPerNode + " (expected: >= 0)");
        }
        if (!(failingEdgeErrorRate > 0 && failingEdgeErrorRate <= 1)) {
            throw new IllegalArgumentException("failingEdgeErrorRate: " + failingEdgeErrorRate
                    + " (expected: an error rate in (0, 1])");
        }
    }

    /**
     * The health of a namespace with {@code failing}, {@code degraded} and {@code healthy} judged services
     * and {@code idle} idle ones, by the rules above.
     */
    public Health namespaceHealth(int failing, int degraded, int healthy, int idle) {
        if (failing < 0 || degraded < 0 || healthy < 0 || idle < 0) {
            throw new IllegalArgumentException("service counts: " + failing + "/" + degraded + "/" + healthy + "/"
                    + idle + " (expected: counts >= 0)");
        }
        int judged = failing + degraded + healthy;
        if (judged == 0) {
            return idle > 0 ? Health.IDLE : Health.UNKNOWN;
        }
        if (failing >= failingShare * judged - EPSILON) {
            return Health.FAILING;
        }
        if (failing + degraded >= degradedShare * judged - EPSILON) {
            return Health.DEGRADED;
        }
        return Health.HEALTHY;
    }
}
