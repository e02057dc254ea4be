package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;

/**
 * One HTTP/2 (h2c, prior knowledge) connection to one endpoint of one cluster, per event loop, that every
 * try multiplexes its own stream over (gRPC needs HTTP/2 end to end). The connection opens on the first
 * request; requests arriving while it connects wait for it. A new connection opens when none can take
 * another stream (closed, GOAWAY received, or at the upstream's {@code MAX_CONCURRENT_STREAMS}). Each stream's child channel converts frames to Netty's HTTP/1 objects, so a try uses it
 * exactly as an HTTP/1.1 connection; a stream is never reused. {@code max_connections} is counted but not
 * enforced for HTTP/2 (about one connection per event loop and endpoint); {@code max_requests} bounds the
 * streams.
 */
final class Http2EndpointPool implements UpstreamPool {
    private final ClusterRuntime cluster;
    private final EventLoop loop;
    private final Endpoint endpoint;
    private final Bootstrap bootstrap;
    private final ArrayDeque<Promise<Channel>> waiters = new ArrayDeque<>();
    private final java.util.List<Channel> connections = new java.util.ArrayList<>();
    private boolean connecting;

    Http2EndpointPool(ClusterRuntime cluster, EventLoop loop, Endpoint endpoint) {
        this.cluster = cluster;
        this.loop = loop;
        this.endpoint = endpoint;
        int connectMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, cluster.config().connectTimeout().toMillis()));
        this.bootstrap = new Bootstrap().group(loop).channel(cluster.transport().socketChannel())
                .option(ChannelOption.AUTO_READ, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) throws Exception {
                        if (cluster.tls() != null) {
                            ch.pipeline().addLast("tls", cluster.tls().newHandler(ch, endpoint, true));
                        }
                        ch.pipeline()
                                .addLast("http2-frame-codec", Http2FrameCodecBuilder.forClient()
                                        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
                                        .build())
                                .addLast("http2-multiplex", new Http2MultiplexHandler(new RefusePushes()))
                                .addLast("connection-errors", ConnectionErrors.INSTANCE);
                    }
                });
    }

    @Override
    public Promise<Channel> acquire() {
        Promise<Channel> promise = loop.newPromise();
        Channel c = usableConnection();
        if (c != null) {
            openStream(c, promise);
            return promise;
        }
        if (!cluster.limits().pendingRequests().tryAcquire()) {
            cluster.stats().rqPendingOverflow.inc();
            promise.setFailure(new UpstreamOverflowException("cluster " + cluster.name()
                    + ": too many pending requests (max_pending_requests "
                    + cluster.config().circuitBreakers().maxPendingRequests() + ")"));
            return promise;
        }
        java.util.Optional<String> tlsNotReady = cluster.tls() == null ? java.util.Optional.empty() : cluster.tls().notReady(true);
        if (tlsNotReady.isPresent()) {
            cluster.limits().pendingRequests().release();
            promise.setFailure(new UpstreamTls.TlsConnectException(tlsNotReady.get(), null));
            return promise;
        }
        promise.addListener(f -> cluster.limits().pendingRequests().release());
        waiters.addLast(promise);
        if (!connecting) {
            connect();
        }
        return promise;
    }

    /** An open connection that can take one more stream (no GOAWAY, below the peer's max concurrent streams). */
    private Channel usableConnection() {
        for (Channel c : connections) {
            Http2FrameCodec codec = c.pipeline().get(Http2FrameCodec.class);
            if (c.isActive() && codec != null && !codec.connection().goAwayReceived()
                    && codec.connection().local().canOpenStream()) {
                return c;
            }
        }
        return null;
    }

    private void connect() {
        connecting = true;
        cluster.stats().cxTotal.inc();
        boolean counted = cluster.limits().connections().tryAcquire();
        ChannelFuture cf = bootstrap.connect(endpoint.host(), endpoint.port());
        Channel ch = cf.channel();
        ch.closeFuture().addListener(f -> {
            connections.remove(ch);
            if (counted) {
                cluster.connectionClosed();
            }
        });
        io.netty.util.concurrent.Future<?> ready = cluster.tls() == null ? cf : cluster.tls().ready(cf, true);
        ready.addListener(f -> {
            connecting = false;
            if (!f.isSuccess()) {
                cluster.stats().cxConnectFail.inc();
                Promise<Channel> w;
                while ((w = waiters.pollFirst()) != null) {
                    w.tryFailure(f.cause());
                }
                return;
            }
            if (cluster.retired()) {
                ch.close();
            } else {
                connections.add(ch);
            }
            Promise<Channel> w;
            while ((w = waiters.pollFirst()) != null) {
                if (!w.isDone()) {
                    openStream(ch, w);
                }
            }
        });
    }

    private void openStream(Channel parent, Promise<Channel> promise) {
        new Http2StreamChannelBootstrap(parent).handler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.config().setAutoRead(false);
                stream.pipeline()
                        .addLast("http2-to-http", new Http2StreamFrameToHttpObjectCodec(false))
                        .addLast("upstream", new UpstreamHandler());
            }
        }).open().addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
                return;
            }
            Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
            if (!promise.trySuccess(stream)) {
                stream.close();
            }
        });
    }

    /** The stream is done with: close it (a reset if it has not ended both ways). */
    @Override
    public void release(Channel ch, boolean reusable) {
        UpstreamHandler.of(ch).detach();
        ch.close();
    }

    /** The cluster was replaced: GOAWAY, letting the streams in flight finish. */
    void close() {
        java.util.List.copyOf(connections).forEach(Channel::close);
        connections.clear();
    }

    /** Streams the upstream starts (server push is off): refused. */
    private static final class RefusePushes extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }

        @Override
        public boolean isSharable() {
            return true;
        }
    }
}
