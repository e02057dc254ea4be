package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.ListenerConfig;
import dev.meshdeck.dataplane.proxy.ProxyOptions;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.tls.TlsContexts;
import dev.meshdeck.dataplane.tls.TlsStats;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Assembles a client connection's pipeline: its {@link DrainWatch} (the connection is counted by the proxy's
 * {@link Drain}), idle timeout (the listener's; a connection is busy while a
 * request or stream is in flight), header timeout and a {@link ProtocolDetector}; then for
 * HTTP/1.1 the codec, the {@code Upgrade: h2c} handshake ({@link H2cUpgrade}), 100-continue and the proxy
 * handler, or for HTTP/2 (h2c prior knowledge, or after the upgrade) its header timeout
 * ({@link Http2HeaderTimeoutHandler}), the frame
 * codec and a multiplexer whose every stream gets an HTTP/1-style object codec and its own proxy handler,
 * so exchanges, filters and trailers work the same for both. A listener with a TLS filter chain gets a
 * {@link DownstreamTls} in front of the protocol detector.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {
    /**
     * The largest body chunk the HTTP/1.1 decoder hands on: as much as one read brings (Netty's reads are at most
     * 64 KB), so a read's body bytes go on as one chunk in one write, where 16 KB chunks made up to four of each.
     * The upstream side's decoder uses the same size for answers.
     */
    static final int MAX_CHUNK_BYTES = 64 * 1024;

    private final ListenerConfig listener;
    private final List<ProxyFilter> filters;
    private final AtomicReference<RuntimeSnapshot> snapshots;
    private final ProxyOptions options;
    private final ListenerStats stats;
    private final Stats allStats;
    private final TlsContexts tlsContexts;
    private final Drain drain;
    private final Map<String, TlsStats> tlsStats = DownstreamTls.statsMap();

    public ServerInitializer(ListenerConfig listener, List<ProxyFilter> filters,
                             AtomicReference<RuntimeSnapshot> snapshots, ProxyOptions options, Stats stats,
                             TlsContexts tlsContexts, Drain drain) {
        this.drain = drain;
        this.allStats = stats;
        this.tlsContexts = tlsContexts;
        this.listener = listener;
        this.filters = filters;
        this.snapshots = snapshots;
        this.options = options;
        this.stats = new ListenerStats(stats, listener.name());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        drain.track(ch);
        stats.cxActive.inc();
        ch.closeFuture().addListener(f -> stats.cxActive.dec());
        ch.pipeline().addLast("drain-watch", new DrainWatch(stats));
        HeaderTimeoutHandler headerTimeout = new HeaderTimeoutHandler(options.headerTimeout());
        ListenerConfig current = snapshots.get().config().listeners().getOrDefault(listener.name(), listener);
        java.time.Duration idle = current.idleTimeout();
        if (!idle.isZero()) {
            ch.pipeline().addLast(IDLE_TIMEOUT, new IdleTimeoutHandler(idle, stats.cxIdleTimeout));
        }
        if (current.tls() != null) {
            ch.pipeline().addLast("tls-detector", new DownstreamTls(current.tls(), tlsContexts, allStats, tlsStats));
        }
        // Above TLS: it times the request's decrypted bytes, and its 408 goes out encrypted (a stalled handshake
        // shows it no bytes, so it just closes).
        ch.pipeline().addLast("header-timeout", headerTimeout);
        ch.pipeline()
                .addLast("protocol-detector", new ProtocolDetector(ctx -> http1(ctx, headerTimeout), this::http2));
    }

    private static final String HTTP2_HEADER_TIMEOUT = "http2-header-timeout";

    /** The client connection's idle timeout handler, if it has one. */
    static final String IDLE_TIMEOUT = "idle-timeout";

    private static void busyWhen(ChannelHandlerContext ctx, java.util.function.BooleanSupplier busy) {
        if (ctx.pipeline().get(IDLE_TIMEOUT) instanceof IdleTimeoutHandler idle) {
            idle.busyWhen(busy);
        }
    }

    private void http1(ChannelHandlerContext ctx, HeaderTimeoutHandler headerTimeout) {
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(options.maxInitialLineBytes())
                .setMaxHeaderSize(options.maxHeaderBytes())
                .setMaxChunkSize(MAX_CHUNK_BYTES);
        HttpServerCodec codec = new HttpServerCodec(decoder);
        ctx.pipeline()
                .addLast("http-server-codec", codec)
                .addLast("h2c-upgrade", H2cUpgrade.handler(codec, this::http2Handlers, this::upgradedToHttp2,
                        options.retryBufferBytes()))
                .addLast("expect-continue", new HttpServerExpectContinueHandler());
        DownstreamHandler proxy = new DownstreamHandler(listener, filters, snapshots, options, stats, headerTimeout, false,
                drain);
        busyWhen(ctx, proxy::busy);
        ctx.pipeline().addLast("proxy", proxy);
    }

    private void http2(ChannelHandlerContext ctx) {
        stats.cxTotal.inc();
        // HTTP/2 has its own flow control per stream; the connection itself is read continuously.
        ctx.pipeline().remove("header-timeout");
        H2cUpgrade.Http2Handlers h = http2Handlers();
        ctx.pipeline().addLast(HTTP2_HEADER_TIMEOUT, new Http2HeaderTimeoutHandler(options.headerTimeout(), true));
        ctx.pipeline().addLast("http2-frame-codec", h.codec());
        for (int i = 0; i < h.after().length; i++) {
            ctx.pipeline().addLast(i == 0 ? "http2-multiplex" : "connection-errors", h.after()[i]);
        }
        http2Ready(ctx, h.codec());
    }

    /** After an {@code Upgrade: h2c}: the HTTP/1.1 handlers go, the connection is HTTP/2 from now on. */
    private void upgradedToHttp2(ChannelHandlerContext ctx) {
        ctx.pipeline().remove("header-timeout");
        ctx.pipeline().remove("expect-continue");
        ctx.pipeline().remove("proxy");
        var codec = ctx.pipeline().get(io.netty.handler.codec.http2.Http2FrameCodec.class);
        // The client's preface follows the 101 (RFC 7540 §3.5).
        ctx.pipeline().addBefore(ctx.pipeline().context(codec).name(), HTTP2_HEADER_TIMEOUT,
                new Http2HeaderTimeoutHandler(options.headerTimeout(), true));
        http2Ready(ctx, codec);
    }

    private static void http2Ready(ChannelHandlerContext ctx, io.netty.handler.codec.http2.Http2FrameCodec codec) {
        var connection = codec.connection();
        busyWhen(ctx, () -> connection.numActiveStreams() > 0);
        ctx.channel().config().setAutoRead(true);
    }

    /** A server HTTP/2 connection's frame codec, then a multiplexer giving each stream its own proxy handler. */
    private H2cUpgrade.Http2Handlers http2Handlers() {
        return new H2cUpgrade.Http2Handlers(Http2FrameCodecBuilder.forServer()
                .initialSettings(io.netty.handler.codec.http2.Http2Settings.defaultSettings()
                        .maxHeaderListSize(options.maxHeaderBytes()))
                .build(),
                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.config().setAutoRead(false);
                        stream.pipeline()
                                .addLast("http2-to-http", new Http2StreamFrameToHttpObjectCodec(true))
                                .addLast("proxy", new DownstreamHandler(listener, filters, snapshots, options, stats,
                                        null, true, drain));
                    }
                }),
                ConnectionErrors.INSTANCE);
    }
}
