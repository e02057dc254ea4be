package dev.meshdeck.dataplane.proxy.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2FrameCodec;

/**
 * The first handler of a client connection: when the proxy drains, ends the connection as its protocol allows
 * (see {@link Drain}) and counts it in {@code http.<listener>.downstream_cx_drain_close}, Envoy's name. A
 * connection that has sent nothing yet, or whose TLS handshake is not done, is closed at once; a relayed
 * WebSocket is left to finish (the drain's time limit ends it).
 */
final class DrainWatch extends ChannelInboundHandlerAdapter {
    private final ListenerStats stats;
    private ChannelHandlerContext ctx;
    private boolean draining;

    DrainWatch(ListenerStats stats) {
        this.stats = stats;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Ends this connection gracefully; called on its event loop, once or more. */
    void drain() {
        if (draining || !ctx.channel().isActive()) {
            return;
        }
        var pipeline = ctx.pipeline();
        if (pipeline.get(DownstreamHandler.class) instanceof DownstreamHandler http1) {
            draining = true;
            stats.cxDrainClose.inc();
            http1.drain();
        } else if (pipeline.get(Http2FrameCodec.class) instanceof Http2FrameCodec codec) {
            // Netty's HTTP/2 handler sends GOAWAY (naming the last stream it took) and closes once those streams
            // are done. Its frame codec's builder makes that wait 0 ms; a drain waits for the streams, bounded by
            // the proxy's drain time and then its close.
            draining = true;
            stats.cxDrainClose.inc();
            codec.gracefulShutdownTimeoutMillis(-1);
            ctx.channel().close();
        } else if (pipeline.get(ByteRelay.class) == null) {
            draining = true;
            stats.cxDrainClose.inc();
            ctx.close();
        }
    }
}
