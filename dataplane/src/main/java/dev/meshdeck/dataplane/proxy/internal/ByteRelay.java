package dev.meshdeck.dataplane.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * One side of an upgraded connection (a WebSocket after {@code 101 Switching Protocols}): every byte read
 * goes to the peer as it is, and the next read waits until the peer's socket took the last write (Netty's
 * proxy example), so a fast sender never fills the heap. When either side ends, the other ends after
 * writing what it was given.
 */
final class ByteRelay extends ChannelInboundHandlerAdapter {
    private final Channel peer;

    ByteRelay(Channel peer) {
        this.peer = peer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            ctx.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf b)) {
            // what the HTTP decoder still had to say about the upgrade response or request
            ReferenceCountUtil.release(msg);
            ctx.read();
            return;
        }
        if (!peer.isActive()) {
            b.release();
            ctx.close();
            return;
        }
        peer.writeAndFlush(b).addListener(f -> {
            if (f.isSuccess()) {
                ctx.read();
            } else {
                ctx.close();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
