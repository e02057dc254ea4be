/**
 * The sidecar's own small gRPC client on Netty HTTP/2 (h2c, prior knowledge): {@link
 * dev.meshdeck.dataplane.grpc.GrpcChannel} (one connection, lazily reconnected), streaming and unary calls with
 * deadlines, cancellation, flow control and keepalive. Enough for ADS and Istio's CA API without grpc-java; see
 * {@code docs/decisions/0011-own-grpc-client.md} for what it does not do.
 */
package dev.meshdeck.dataplane.grpc;
