package dev.meshdeck.dataplane.proxy.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;

/** The last handler of an upstream connection: hands what the upstream sends to the try using it. */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    /** The try that uses a connection. */
    interface Listener {
        void onUpstreamMessage(HttpObject msg);

        /** The end of one read from the connection: what its messages wrote for later can be sent together. */
        default void onUpstreamReadComplete() {
        }

        void onUpstreamClosed(Throwable cause);
    }

    private Listener listener;
    private Throwable failure;
    private int tries;

    static UpstreamHandler of(Channel ch) {
        return ch.pipeline().get(UpstreamHandler.class);
    }

    void attach(Listener l) {
        this.listener = l;
    }

    /** Counts one more try carried by this connection and returns how many it has carried. */
    int countTry() {
        return ++tries;
    }

    void detach() {
        this.listener = null;
    }

    /** Whether a try is using the connection. */
    boolean busy() {
        return listener != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (listener != null && msg instanceof HttpObject o) {
            listener.onUpstreamMessage(o);
        } else {
            // Bytes on an idle connection: the upstream is out of step with us; do not reuse it.
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Listener l = listener;
        if (l != null) {
            l.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Listener l = listener;
        listener = null;
        if (l != null) {
            l.onUpstreamClosed(failure);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failure = cause;
        ctx.close();
    }
}
