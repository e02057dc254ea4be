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
 * another stream (closed, GOAWAY received, or at the upstream's {@code MAX_CONCURRENT_STREAMS}) and the
 * cluster's {@code max_connections} has room; otherwise the try waits (counted against
 * {@code max_pending_requests}) for a stream or a connection to come free — except that a pool with no
 * connection at all always opens one (Envoy's rule, so that tries on one event loop never wait for ever on
 * connections other loops keep busy): the limit may be passed by one connection per event loop and endpoint. Each stream's child channel
 * converts frames to Netty's HTTP/1 objects, so a try uses it exactly as an HTTP/1.1 connection; a stream is
 * never reused. {@code max_requests} bounds the streams; a connection that has opened
 * {@code max_requests_per_connection} streams takes no more and closes when the last of them ends.
 */
final class Http2EndpointPool implements UpstreamPool {
    private final ClusterRuntime cluster;
    private final EventLoop loop;
    private final Endpoint endpoint;
    private final HostConnections host;
    private final Bootstrap bootstrap;
    private final ArrayDeque<Promise<Channel>> waiters = new ArrayDeque<>();
    private final java.util.List<Channel> connections = new java.util.ArrayList<>();
    private final java.util.Map<Channel, Integer> streamsByConnection = new java.util.HashMap<>();
    /** Streams ever opened on each connection, for {@code max_requests_per_connection}. */
    private final java.util.Map<Channel, Integer> openedByConnection = new java.util.HashMap<>();
    private final java.util.Set<Channel> settled = new java.util.HashSet<>();
    /** Connections whose upstream answered in something other than HTTP/2 ({@link NotHttp2Detector}), and its first line. */
    private final java.util.Map<Channel, String> notHttp2 = new java.util.HashMap<>();
    private boolean connecting;

    Http2EndpointPool(ClusterRuntime cluster, EventLoop loop, Endpoint endpoint) {
        this.cluster = cluster;
        this.loop = loop;
        this.endpoint = endpoint;
        this.host = cluster.connections(endpoint);
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
                        } else {
                            ch.pipeline().addLast("not-http2", new NotHttp2Detector(answer -> notHttp2.put(ch, answer)));
                        }
                        Http2FrameCodec codec = Http2FrameCodecBuilder.forClient()
                                .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
                                .build();
                        codec.connection().addListener(new io.netty.handler.codec.http2.Http2ConnectionAdapter() {
                            @Override
                            public void onStreamClosed(io.netty.handler.codec.http2.Http2Stream stream) {
                                // After Netty's own bookkeeping of the stream is done.
                                loop.execute(() -> streamEnded(ch));
                            }
                        });
                        java.time.Duration idle = cluster.config().idleTimeout();
                        if (!idle.isZero()) {
                            ch.pipeline().addLast(EndpointPool.IDLE_TIMEOUT, new IdleTimeoutHandler(idle, cluster.stats().cxIdleTimeout)
                                    .busyWhen(() -> streams(ch) > 0));
                        }
                        ch.pipeline()
                                .addLast("http2-frame-codec", codec)
                                .addLast("http2-multiplex", new Http2MultiplexHandler(new RefusePushes()))
                                .addLast("peer-settings", new PeerSettings())
                                .addLast("connection-errors", ConnectionErrors.INSTANCE);
                    }
                });
    }

    @Override
    public Promise<Channel> acquire() {
        Promise<Channel> promise = loop.newPromise();
        Channel c = usableConnection();
        if (c != null && waiters.isEmpty()) {
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
        serveWaiters();
        return promise;
    }

    /**
     * An open connection that can take one more stream: the upstream's SETTINGS received (its limits known), no
     * GOAWAY received, and fewer streams of ours on it than the upstream's {@code MAX_CONCURRENT_STREAMS}
     * (counting streams opened but not yet started).
     */
    private Channel usableConnection() {
        for (Channel c : connections) {
            Http2FrameCodec codec = c.pipeline().get(Http2FrameCodec.class);
            if (c.isActive() && settled.contains(c) && codec != null && !codec.connection().goAwayReceived()
                    && streams(c) < codec.connection().local().maxActiveStreams() && !spent(c)) {
                return c;
            }
        }
        return null;
    }

    private int streams(Channel c) {
        return streamsByConnection.getOrDefault(c, 0);
    }

    /** Whether {@code c} has opened {@code max_requests_per_connection} streams: it takes no more. */
    private boolean spent(Channel c) {
        int max = cluster.config().maxRequestsPerConnection();
        return max > 0 && openedByConnection.getOrDefault(c, 0) >= max;
    }

    /**
     * Gives waiting tries a stream while a connection can take one; when none can, opens another connection
     * if {@code max_connections} has room ({@code upstream_cx_overflow} when it has not: the tries wait for a
     * stream or a connection to come free).
     */
    void serveWaiters() {
        while (!waiters.isEmpty()) {
            Promise<Channel> w = waiters.peekFirst();
            if (w.isDone()) {
                waiters.pollFirst();
                continue;
            }
            Channel c = usableConnection();
            if (c == null) {
                break;
            }
            waiters.pollFirst();
            openStream(c, w);
        }
        if (waiters.isEmpty() || connecting) {
            return;
        }
        boolean counted = cluster.limits().connections().tryAcquire();
        if (!counted) {
            cluster.stats().cxOverflow.inc();
            if (!connections.isEmpty()) {
                cluster.reclaimIdle();
                return;
            }
            // No connection here at all: open one anyway (as Envoy does), or these tries could wait for ever on
            // connections other event loops keep busy.
        }
        connect(counted);
    }

    private void connect(boolean counted) {
        connecting = true;
        host.opening();
        ChannelFuture cf = bootstrap.connect(endpoint.host(), endpoint.port());
        Channel ch = cf.channel();
        ch.closeFuture().addListener(f -> {
            host.closed();
            boolean wasSettled = settled.remove(ch);
            boolean wasConnected = connections.remove(ch);
            String notHttp2Answer = notHttp2.remove(ch);
            streamsByConnection.remove(ch);
            openedByConnection.remove(ch);
            if (wasConnected && !wasSettled) {
                // Closed before the upstream's SETTINGS: the tries waiting for it fail like a failed connect.
                // No stream was opened on it, so none of their requests reached the upstream.
                connecting = false;
                if (notHttp2Answer != null) {
                    cluster.stats().cxProtocolError.inc();
                }
                failWaiters(notHttp2Answer != null ? new NotHttp2Exception(notHttp2Answer)
                        : new java.io.IOException("upstream closed the connection before its SETTINGS"));
            }
            if (counted) {
                cluster.connectionClosed();
            }
        });
        // With TLS the connection is usable once handshaken and checked (UpstreamTls.ready).
        io.netty.util.concurrent.Future<?> ready = cluster.tls() == null ? cf : cluster.tls().ready(cf, true);
        ready.addListener(f -> {
            if (!f.isSuccess()) {
                connecting = false;
                host.connectFailed();
                Promise<Channel> w;
                while ((w = waiters.pollFirst()) != null) {
                    w.tryFailure(f.cause());
                }
                return;
            }
            if (cluster.retired()) {
                connecting = false;
                ch.close();
                Promise<Channel> w;
                while ((w = waiters.pollFirst()) != null) {
                    if (!w.isDone()) {
                        openStream(ch, w);
                    }
                }
                return;
            }
            connections.add(ch); // usable, and no longer connecting, once the upstream's SETTINGS arrive
            if (settled.contains(ch)) {
                connecting = false; // the SETTINGS came with the end of the TLS handshake
                serveWaiters();
            }
        });
    }

    private void failWaiters(Throwable cause) {
        Promise<Channel> w;
        while ((w = waiters.pollFirst()) != null) {
            w.tryFailure(cause);
        }
    }

    private void openStream(Channel parent, Promise<Channel> promise) {
        streamsByConnection.merge(parent, 1, Integer::sum);
        openedByConnection.merge(parent, 1, Integer::sum);
        if (spent(parent)) {
            cluster.stats().cxMaxRequests.inc();
        }
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
                streamEnded(parent);
                promise.tryFailure(f.cause());
                return;
            }
            Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
            stream.closeFuture().addListener(c -> {
                if (!io.netty.handler.codec.http2.Http2CodecUtil.isStreamIdValid(stream.stream().id())) {
                    streamEnded(parent); // closed before its HEADERS went out: the upstream never saw it
                }
            });
            if (!promise.trySuccess(stream)) {
                stream.close();
            }
        });
    }

    /** A stream of ours on {@code parent} closed (or never started): its slot may go to a waiting try. */
    private void streamEnded(Channel parent) {
        streamsByConnection.computeIfPresent(parent, (c, n) -> n - 1);
        if (spent(parent) && streams(parent) == 0) {
            parent.close(); // its last stream is done: GOAWAY and close, as Envoy drains such a connection
        }
        serveWaiters();
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

    /**
     * The upstream answered the HTTP/2 connection preface with something other than HTTP/2 (an HTTP/1.x server's
     * error): it does not speak h2c, and saw none of the requests that waited for the connection.
     */
    static final class NotHttp2Exception extends java.io.IOException {
        NotHttp2Exception(String answer) {
            super("it does not speak HTTP/2 (h2c): it answered the connection preface with "
                    + (answer.isEmpty() ? "something else" : "\"" + answer + "\""));
        }
    }

    /** The upstream's first SETTINGS arrived: the connection may take streams up to its limits. */
    private final class PeerSettings extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.handler.codec.http2.Http2SettingsFrame) {
                if (settled.add(ctx.channel()) && connections.contains(ctx.channel())) {
                    connecting = false;
                    cluster.answeredHttp2(endpoint);
                    serveWaiters();
                }
                return;
            }
            ctx.fireChannelRead(msg);
        }
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
