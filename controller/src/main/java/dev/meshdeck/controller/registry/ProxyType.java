package dev.meshdeck.controller.registry;

/** What kind of xDS client a proxy is; it decides the shape of the listeners it is sent. */
public enum ProxyType {
    /** A Meshdeck sidecar (or an Envoy): gets an outbound and an inbound listener. */
    SIDECAR,
    /** A proxyless gRPC client (node metadata {@code GENERATOR: grpc}): gets API listeners per service host. */
    PROXYLESS_GRPC
}
