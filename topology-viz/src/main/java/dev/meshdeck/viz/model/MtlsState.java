package dev.meshdeck.viz.model;

/** Whether traffic to a node is mutual TLS. */
public enum MtlsState {
    /** All traffic is mTLS. */
    MTLS,
    /** No traffic is mTLS. */
    PLAINTEXT,
    /** Some is, some is not (a PERMISSIVE peer authentication in migration). */
    MIXED,
    UNKNOWN;

    /** The state of a group made of nodes in states {@code this} and {@code other}. */
    public MtlsState combine(MtlsState other) {
        if (this == other) {
            return this;
        }
        if (this == UNKNOWN) {
            return other;
        }
        if (other == UNKNOWN) {
            return this;
        }
        return MIXED;
    }
}
