package dev.meshdeck.controller.translate.internal;

/**
 * The kind of xDS client resources are shaped for. Most resources are the same for both; a cluster
 * differs where grpc-xds accepts less than Envoy (no STRICT_DNS, no RANDOM or MAGLEV, no slow start,
 * certificates from certificate-provider instances instead of SDS).
 */
public enum Client {
    /** A Meshdeck sidecar, or an Envoy standing in for it. */
    ENVOY,
    /** A proxyless gRPC client (grpc-xds). */
    GRPC
}
