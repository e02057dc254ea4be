package dev.meshdeck.dataplane.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cuts off a client that takes longer than the header timeout to send a request's headers (a slowloris
 * client): armed when the connection opens and when the first byte of a next request arrives, disarmed
 * once the request's headers are complete. Sits below the HTTP codec and answers 408 in raw bytes.
 */
final class HeaderTimeoutHandler extends ChannelDuplexHandler {
    private final Duration timeout;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean waiting = true;
    private boolean bytesSeen;

    HeaderTimeoutHandler(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (waiting && msg instanceof ByteBuf b && b.isReadable()) {
            bytesSeen = true;
            arm();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    /** The current request's headers are complete. */
    void headersReceived() {
        waiting = false;
        bytesSeen = false;
        disarm();
    }

    /** The connection now waits for the next request; the clock starts at its first byte. */
    void awaitNext() {
        waiting = true;
        bytesSeen = false;
    }

    private void arm() {
        if (timer == null) {
            timer = ctx.executor().schedule(this::expired, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expired() {
        timer = null;
        if (!waiting || !ctx.channel().isActive()) {
            return;
        }
        if (!bytesSeen) {
            ctx.close();
            return;
        }
        String body = "request headers not complete within " + timeout.toMillis() + " ms\n";
        String response = "HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: "
                + body.length() + "\r\nconnection: close\r\n\r\n" + body;
        ctx.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), response)).addListener(ChannelFutureListener.CLOSE);
    }
}
