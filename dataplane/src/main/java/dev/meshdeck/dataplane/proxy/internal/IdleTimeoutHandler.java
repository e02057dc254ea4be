package dev.meshdeck.dataplane.proxy.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import dev.meshdeck.dataplane.stats.Stats;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Closes a connection that has had no request in flight and no bytes either way for the idle timeout (Envoy's
 * {@code common_http_protocol_options.idle_timeout}): a client connection of a listener, or an upstream
 * connection of a pool. The connection says when it is busy (a request or stream in flight): a busy
 * connection is never idle. Closing an HTTP/2 connection sends GOAWAY first (Netty's HTTP/2 handler does on
 * close); an HTTP/1.1 one is simply closed, as no request is in flight.
 */
final class IdleTimeoutHandler extends ChannelDuplexHandler {
    private final long timeoutNanos;
    private final Stats.Counter closed;
    private volatile BooleanSupplier busy = () -> false;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private long lastActivity;

    /** @param closed counts connections this handler closed ({@code *_cx_idle_timeout}) */
    IdleTimeoutHandler(Duration timeout, Stats.Counter closed) {
        this.timeoutNanos = timeout.toNanos();
        this.closed = closed;
    }

    /** From now on the connection is busy while {@code busy} says so (set once its protocol is known). */
    IdleTimeoutHandler busyWhen(BooleanSupplier busy) {
        this.busy = busy;
        return this;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        lastActivity = System.nanoTime();
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        lastActivity = System.nanoTime();
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void start() {
        if (timer == null) {
            lastActivity = System.nanoTime();
            timer = ctx.executor().schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void check() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (busy.getAsBoolean()) {
            lastActivity = now;
        }
        long idleFor = now - lastActivity;
        if (idleFor >= timeoutNanos) {
            closed.inc();
            ctx.channel().close();
            return;
        }
        timer = ctx.executor().schedule(this::check, timeoutNanos - idleFor, TimeUnit.NANOSECONDS);
    }
}
