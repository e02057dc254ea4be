package dev.meshdeck.dataplane.grpc;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link GrpcChannel} treats its connection.
 *
 * @param keepAliveTime            after this long without a byte from the server while calls are open, a PING
 *                                 is sent (zero: never)
 * @param keepAliveTimeout         the connection is closed, its calls ending {@code UNAVAILABLE}, when nothing
 *                                 arrives this long after a keepalive PING
 * @param maxInboundMessageBytes   a larger response message ends its call with {@code RESOURCE_EXHAUSTED}
 * @param maxBufferedOutboundBytes request bytes a call may hold back while flow control stops it; more end the
 *                                 call with {@code RESOURCE_EXHAUSTED}
 * @param connectTimeout           how long a TCP connect may take
 * @param flowControlWindow        the HTTP/2 receive window per stream and for the connection, in bytes
 */
public record GrpcChannelOptions(Duration keepAliveTime, Duration keepAliveTimeout, int maxInboundMessageBytes,
                                 int maxBufferedOutboundBytes, Duration connectTimeout, int flowControlWindow) {
    /** 16 MiB: room for a large mesh's xDS snapshot in one response. */
    public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 16 * 1024 * 1024;

    /** No keepalive; 16 MiB messages; 4 MiB held back; 20 s connect timeout; a 1 MiB window (as grpc-java's). */
    public static final GrpcChannelOptions DEFAULTS = new GrpcChannelOptions(Duration.ZERO, Duration.ofSeconds(20),
            DEFAULT_MAX_INBOUND_MESSAGE_BYTES, 4 * 1024 * 1024, Duration.ofSeconds(20), 1024 * 1024);

    public GrpcChannelOptions {
        Objects.requireNonNull(keepAliveTime, "keepAliveTime");
        Objects.requireNonNull(keepAliveTimeout, "keepAliveTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (keepAliveTime.isNegative()) {
            throw new IllegalArgumentException("keepAliveTime: " + keepAliveTime + " (expected: zero or more)");
        }
        if (keepAliveTimeout.isNegative() || keepAliveTimeout.isZero()) {
            throw new IllegalArgumentException("keepAliveTimeout: " + keepAliveTimeout + " (expected: more than zero)");
        }
        if (maxInboundMessageBytes < 1) {
            throw new IllegalArgumentException("maxInboundMessageBytes: " + maxInboundMessageBytes + " (expected: 1 or more)");
        }
        if (maxBufferedOutboundBytes < 1) {
            throw new IllegalArgumentException("maxBufferedOutboundBytes: " + maxBufferedOutboundBytes
                    + " (expected: 1 or more)");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: 1 ms to 24 days)");
        }
        if (flowControlWindow < 65_535) {
            throw new IllegalArgumentException("flowControlWindow: " + flowControlWindow
                    + " (expected: 65535 or more, HTTP/2's initial window)");
        }
    }

    public GrpcChannelOptions withKeepAlive(Duration time, Duration timeout) {
        return new GrpcChannelOptions(time, timeout, maxInboundMessageBytes, maxBufferedOutboundBytes, connectTimeout,
                flowControlWindow);
    }

    public GrpcChannelOptions withMaxInboundMessageBytes(int bytes) {
        return new GrpcChannelOptions(keepAliveTime, keepAliveTimeout, bytes, maxBufferedOutboundBytes, connectTimeout,
                flowControlWindow);
    }

    public GrpcChannelOptions withMaxBufferedOutboundBytes(int bytes) {
        return new GrpcChannelOptions(keepAliveTime, keepAliveTimeout, maxInboundMessageBytes, bytes, connectTimeout,
                flowControlWindow);
    }
}
