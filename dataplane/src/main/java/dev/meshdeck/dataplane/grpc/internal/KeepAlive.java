package dev.meshdeck.dataplane.grpc.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * gRPC's client keepalive, first in the connection's pipeline so that it sees every byte that arrives: after
 * {@code time} without one while calls are open it sends a PING, and when nothing (the PING's ACK or anything
 * else) arrives within {@code timeout} it declares the connection dead.
 */
final class KeepAlive extends ChannelDuplexHandler {
    interface Dead {
        void dead(String reason);
    }

    private final long timeNanos;
    private final long timeoutNanos;
    private final BooleanSupplier callsOpen;
    private final Dead onDead;
    private long lastRead;
    private long pingSent;
    private boolean pingOutstanding;
    private ScheduledFuture<?> timer;

    KeepAlive(long timeNanos, long timeoutNanos, BooleanSupplier callsOpen, Dead onDead) {
        this.timeNanos = timeNanos;
        this.timeoutNanos = timeoutNanos;
        this.callsOpen = callsOpen;
        this.onDead = onDead;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        lastRead = System.nanoTime();
        schedule(ctx, timeNanos, () -> check(ctx));
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        lastRead = System.nanoTime();
        if (pingOutstanding) {
            // The peer is alive: the next PING after another quiet spell.
            pingOutstanding = false;
            timer.cancel(false);
            schedule(ctx, timeNanos, () -> check(ctx));
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (timer != null) {
            timer.cancel(false);
        }
        super.channelInactive(ctx);
    }

    private void check(ChannelHandlerContext ctx) {
        long quiet = System.nanoTime() - lastRead;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (quiet < timeNanos || !callsOpen.getAsBoolean()) {
            schedule(ctx, Math.max(timeNanos - quiet, timeNanos / 4), () -> check(ctx));
            return;
        }
        pingSent = System.nanoTime();
        pingOutstanding = true;
        ctx.channel().writeAndFlush(new DefaultHttp2PingFrame(pingSent));
        schedule(ctx, timeoutNanos, () -> {
            if (pingOutstanding && ctx.channel().isActive()) {
                onDead.dead("no answer to a keepalive PING within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                        + " ms");
            }
        });
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos, Runnable task) {
        timer = ctx.executor().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }
}
