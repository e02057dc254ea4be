package dev.meshdeck.dataplane.proxy.internal;

/** A circuit breaker of the cluster is open: too many connections, pending or active requests. */
final class UpstreamOverflowException extends RuntimeException {
    UpstreamOverflowException(String message) {
        super(message, null, false, false);
    }
}
