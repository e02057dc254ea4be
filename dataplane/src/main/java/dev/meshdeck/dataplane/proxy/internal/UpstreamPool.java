package dev.meshdeck.dataplane.proxy.internal;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Promise;

/**
 * Where a try gets the channel it exchanges one request on: a pooled HTTP/1.1 connection
 * ({@link EndpointPool}) or a new stream on a shared HTTP/2 connection ({@link Http2EndpointPool}). Either
 * channel carries Netty's HTTP/1 objects and ends in an {@link UpstreamHandler}. Used on one event loop.
 */
interface UpstreamPool {
    /** A channel for one try; fails with {@link UpstreamOverflowException} or the connect error. */
    Promise<Channel> acquire();

    /** The try on {@code ch} ended; {@code reusable} when it ended cleanly. */
    void release(Channel ch, boolean reusable);
}
