package dev.meshdeck.dataplane.proxy;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The proxy's static settings (not from xDS). Runtime handles (stats, the random) are
 * {@link SidecarProxy}'s constructor arguments, not settings.
 *
 * @param ioThreads            event loop threads (0 = Netty's default, twice the cores)
 * @param headerTimeout        how long a client may take to send a request's headers
 * @param maxHeaderBytes       the largest header block accepted (431 above it)
 * @param maxInitialLineBytes  the longest request line accepted (414 above it)
 * @param retryBufferBytes     a request body up to this size is kept for retries; a larger one is not retried
 * @param requestIds           makes {@code x-request-id} values for requests that have none
 */
public record ProxyOptions(int ioThreads, Duration headerTimeout, int maxHeaderBytes, int maxInitialLineBytes,
                           int retryBufferBytes, Supplier<String> requestIds) {

    public static final ProxyOptions DEFAULTS = new ProxyOptions(0, Duration.ofSeconds(10), 60 * 1024, 16 * 1024,
            64 * 1024, ProxyOptions::randomRequestId);

    /**
     * A random (version 4) UUID for {@code x-request-id}. Not {@link UUID#randomUUID()}: that draws from
     * {@code SecureRandom} under a lock on every request, and a request id needs to be unique, not secret.
     */
    static String randomRequestId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long high = (r.nextLong() & ~0xF000L) | 0x4000L;
        long low = (r.nextLong() & ~(0xCL << 60)) | (0x8L << 60);
        return new UUID(high, low).toString();
    }

    public ProxyOptions {
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: 0 or more)");
        }
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("headerTimeout: " + headerTimeout + " (expected: more than zero)");
        }
        if (maxHeaderBytes < 1024) {
            throw new IllegalArgumentException("maxHeaderBytes: " + maxHeaderBytes + " (expected: 1024 or more)");
        }
        if (maxInitialLineBytes < 256) {
            throw new IllegalArgumentException("maxInitialLineBytes: " + maxInitialLineBytes + " (expected: 256 or more)");
        }
        if (retryBufferBytes < 0) {
            throw new IllegalArgumentException("retryBufferBytes: " + retryBufferBytes + " (expected: 0 or more)");
        }
        Objects.requireNonNull(requestIds, "requestIds");
    }

    public ProxyOptions withHeaderTimeout(Duration timeout) {
        return new ProxyOptions(ioThreads, timeout, maxHeaderBytes, maxInitialLineBytes, retryBufferBytes, requestIds);
    }

    public ProxyOptions withIoThreads(int threads) {
        return new ProxyOptions(threads, headerTimeout, maxHeaderBytes, maxInitialLineBytes, retryBufferBytes, requestIds);
    }
}
