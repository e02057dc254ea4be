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
 * Arming and disarming only move a deadline: the one timer, when it fires, checks the deadline and sets
 * itself again for a later one, so a keep-alive connection's requests schedule and cancel nothing.
 */
final class HeaderTimeoutHandler extends ChannelDuplexHandler {
    private final Duration timeout;
    private final Runnable onTimer = this::onTimer;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean armed;
    private long deadline;
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
        stop();
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
        stop();
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
        if (armed) {
            return;
        }
        armed = true;
        deadline = System.nanoTime() + timeout.toNanos();
        if (timer == null) {
            timer = ctx.executor().schedule(onTimer, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void disarm() {
        armed = false;
    }

    /** The connection is gone or no longer speaks HTTP/1.1 here: the timer goes too. */
    private void stop() {
        armed = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void onTimer() {
        timer = null;
        if (!armed) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            timer = ctx.executor().schedule(onTimer, left, TimeUnit.NANOSECONDS);
            return;
        }
        armed = false;
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
