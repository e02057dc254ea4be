package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;

/**
 * Keep-alive HTTP/1.1 connections to one endpoint of one cluster, used from one event loop only. A
 * request takes an idle connection, or opens one within the cluster's {@code maxConnections}, or waits
 * (counted against {@code maxPendingRequests}) for one to come free. A connection idle for the cluster's
 * {@code idle_timeout} closes and leaves the pool, and one that has carried
 * {@code max_requests_per_connection} requests closes when the last of them ends.
 *
 * <p>A TLS cluster's pool has at most {@link #MAX_TLS_CONNECTING} connections handshaking at once; further requests
 * wait for one of those, or for a connection a finished request gives back. A burst of thousands of requests would
 * otherwise start thousands of handshakes together, each too slow (they share the CPU) to finish within the connect
 * timeout (which bounds a handshake too, so a slot always comes back): measured, not one of 3000 concurrent requests
 * through an mTLS pair was answered 200 within 60 s (2716 got 503s, the rest nothing).
 */
final class EndpointPool implements UpstreamPool {
    private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;
    /** A pooled connection's idle timeout handler (the cluster's {@code idle_timeout}), if it has one. */
    static final String IDLE_TIMEOUT = "idle-timeout";
    /** TLS connections of one pool (one endpoint, one event loop) handshaking at once. */
    static final int MAX_TLS_CONNECTING = 8;

    private final ClusterRuntime cluster;
    private final EventLoop loop;
    private final Endpoint endpoint;
    private final HostConnections host;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<Promise<Channel>> waiters = new ArrayDeque<>();
    private final Bootstrap bootstrap;
    private boolean draining;
    /** Connections opened and not yet usable (connecting, handshaking). */
    private int connecting;

    EndpointPool(ClusterRuntime cluster, EventLoop loop, Endpoint endpoint) {
        this.cluster = cluster;
        this.loop = loop;
        this.endpoint = endpoint;
        this.host = cluster.connections(endpoint);
        int connectMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, cluster.config().connectTimeout().toMillis()));
        this.bootstrap = new Bootstrap().group(loop).channel(cluster.transport().socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) throws Exception {
                        if (cluster.tls() != null) {
                            ch.pipeline().addLast("tls", cluster.tls().newHandler(ch, endpoint, false));
                        }
                        UpstreamHandler upstream = new UpstreamHandler();
                        java.time.Duration idle = cluster.config().idleTimeout();
                        if (!idle.isZero()) {
                            ch.pipeline().addLast(IDLE_TIMEOUT, new IdleTimeoutHandler(idle, cluster.stats().cxIdleTimeout).busyWhen(upstream::busy));
                        }
                        ch.pipeline().addLast("http-client-codec", new HttpClientCodec(new HttpDecoderConfig()
                                .setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES).setMaxChunkSize(ServerInitializer.MAX_CHUNK_BYTES), false, false));
                        ch.pipeline().addLast("upstream", upstream);
                    }
                });
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** A connection for one try; fails with {@link UpstreamOverflowException} or the connect error. */
    @Override
    public Promise<Channel> acquire() {
        Promise<Channel> promise = loop.newPromise();
        Channel ch;
        while ((ch = idle.pollFirst()) != null) {
            if (ch.isActive()) {
                promise.setSuccess(ch);
                return promise;
            }
        }
        if (!cluster.limits().pendingRequests().tryAcquire()) {
            cluster.stats().rqPendingOverflow.inc();
            promise.setFailure(new UpstreamOverflowException("cluster " + cluster.name()
                    + ": too many pending requests (max_pending_requests "
                    + cluster.config().circuitBreakers().maxPendingRequests() + ")"));
            return promise;
        }
        java.util.Optional<String> tlsNotReady = cluster.tls() == null ? java.util.Optional.empty() : cluster.tls().notReady(false);
        if (tlsNotReady.isPresent()) {
            cluster.limits().pendingRequests().release();
            promise.setFailure(new UpstreamTls.TlsConnectException(tlsNotReady.get(), null));
            return promise;
        }
        promise.addListener(f -> cluster.limits().pendingRequests().release());
        if (handshakesFull()) {
            waiters.addLast(promise); // a handshake ending, or a connection given back, serves it
        } else if (cluster.limits().connections().tryAcquire()) {
            connect(promise);
        } else {
            cluster.stats().cxOverflow.inc();
            waiters.addLast(promise);
            cluster.reclaimIdle();
        }
        return promise;
    }

    /** Whether this is a TLS pool with {@link #MAX_TLS_CONNECTING} connections handshaking already. */
    private boolean handshakesFull() {
        return cluster.tls() != null && connecting >= MAX_TLS_CONNECTING;
    }

    private void connect(Promise<Channel> promise) {
        connecting++;
        host.opening();
        ChannelFuture cf = bootstrap.connect(endpoint.host(), endpoint.port());
        Channel ch = cf.channel();
        ch.closeFuture().addListener(f -> {
            idle.remove(ch);
            host.closed();
            cluster.connectionClosed();
        });
        Future<?> ready = cluster.tls() == null ? cf : cluster.tls().ready(cf, false);
        ready.addListener(f -> {
            connecting--;
            if (!f.isSuccess()) {
                host.connectFailed();
                promise.tryFailure(f.cause());
            } else if (!promise.trySuccess(ch)) {
                release(ch, true);
            }
            wakeWaiter(); // room for another handshake
        });
    }

    /** Gives a waiter a fresh connection if the cluster now has room for one (and, over TLS, a handshake may start). */
    void wakeWaiter() {
        Promise<Channel> w;
        while ((w = waiters.peekFirst()) != null) {
            if (w.isDone()) {
                waiters.pollFirst();
                continue;
            }
            if (handshakesFull() || !cluster.limits().connections().tryAcquire()) {
                return;
            }
            waiters.pollFirst();
            connect(w);
        }
    }

    /** The try on {@code ch} ended; a reusable connection goes back to the pool (or to a waiter). */
    @Override
    public void release(Channel ch, boolean reusable) {
        UpstreamHandler upstream = UpstreamHandler.of(ch);
        upstream.detach();
        int max = cluster.config().maxRequestsPerConnection();
        if (max > 0 && upstream.countTry() >= max) {
            cluster.stats().cxMaxRequests.inc();
            ch.close();
            return;
        }
        if (!reusable || draining || cluster.retired() || !ch.isActive()) {
            ch.close();
            return;
        }
        Promise<Channel> w;
        while ((w = waiters.pollFirst()) != null) {
            if (w.trySuccess(ch)) {
                return;
            }
        }
        idle.addFirst(ch);
        // Read while idle so that the upstream closing the connection is noticed at once.
        ch.read();
    }

    boolean closeOneIdle() {
        Channel ch = idle.pollLast();
        if (ch == null) {
            return false;
        }
        ch.close();
        return true;
    }

    /** The endpoint left the cluster: idle connections close now, busy ones when their request ends. */
    void drain() {
        draining = true;
        closeIdle();
    }

    void closeIdle() {
        Channel ch;
        while ((ch = idle.pollFirst()) != null) {
            ch.close();
        }
    }
}
