/**
 * The gRPC client's wire work: the HTTP/2 connection and its keepalive, one call per stream, message framing
 * and status mapping. Not API.
 */
package dev.meshdeck.dataplane.grpc.internal;
