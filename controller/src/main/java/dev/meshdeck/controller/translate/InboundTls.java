package dev.meshdeck.controller.translate;

/**
 * What a sidecar's inbound listener accepts from other sidecars. Istio's PeerAuthentication modes will
 * map onto these (STRICT is still to come).
 */
public enum InboundTls {
    /** Plain text only: one filter chain, no TLS (what sidecars without TLS support can take). */
    PLAINTEXT,
    /**
     * Istio's PERMISSIVE default: a TLS inspector tells the two apart, mutual TLS with the workload's
     * certificate (SDS secrets {@code default} and {@code ROOTCA}) on one filter chain, plain text on the
     * other.
     */
    PERMISSIVE
}
