package dev.meshdeck.dataplane.proxy.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A bound server channel that does not accept yet: the kernel completes clients' handshakes into the
 * backlog, where they wait (they are not refused) until {@link #accept} gives it the pipeline of its
 * connections and turns reading on. The server channel must be bound with {@code AUTO_READ} off and
 * {@link #childHandler()} as its child handler.
 */
public final class PausedServerChannel {
    private final Deferred childHandler = new Deferred();
    private Channel channel;

    /** The child handler to bind the server channel with; it hands each connection to {@link #accept}'s one. */
    public ChannelHandler childHandler() {
        return childHandler;
    }

    /** Called once the server channel is bound. */
    public PausedServerChannel bound(Channel serverChannel) {
        this.channel = Objects.requireNonNull(serverChannel, "serverChannel");
        return this;
    }

    public Channel channel() {
        return channel;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Starts accepting, the waiting clients first, with {@code initializer} setting up each connection. */
    public Channel accept(ChannelHandler initializer) {
        childHandler.delegate = Objects.requireNonNull(initializer, "initializer");
        channel.config().setAutoRead(true);
        return channel;
    }

    @ChannelHandler.Sharable
    private static final class Deferred extends ChannelInitializer<SocketChannel> {
        private volatile ChannelHandler delegate;

        @Override
        protected void initChannel(SocketChannel ch) {
            ChannelHandler d = delegate;
            if (d == null) { // cannot happen: the server channel reads only after accept()
                ch.close();
                return;
            }
            ch.pipeline().addLast(d);
        }
    }
}
