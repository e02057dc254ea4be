package dev.meshdeck.viz.model;

/** The health of a node as the console judged it (from success rates, outlier ejection and probes). */
public enum Health {
    HEALTHY,
    DEGRADED,
    FAILING,
    /** No traffic was seen, so there is nothing to judge. */
    IDLE,
    UNKNOWN;

    /** How bad this is, for picking the worst of several: FAILING is the worst, UNKNOWN the mildest. */
    public int severity() {
        return switch (this) {
            case FAILING -> 4;
            case DEGRADED -> 3;
            case HEALTHY -> 2;
            case IDLE -> 1;
            case UNKNOWN -> 0;
        };
    }

    /** The worse of the two. */
    public Health worst(Health other) {
        return other.severity() > severity() ? other : this;
    }
}
