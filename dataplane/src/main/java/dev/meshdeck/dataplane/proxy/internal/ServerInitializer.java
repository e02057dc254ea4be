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
 * Assembles a client connection's pipeline: header timeout and a {@link ProtocolDetector}; then for
 * HTTP/1.1 the codec, 100-continue and the proxy handler, or for HTTP/2 (h2c prior knowledge) the frame
 * codec and a multiplexer whose every stream gets an HTTP/1-style object codec and its own proxy handler,
 * so exchanges, filters and trailers work the same for both. A listener with a TLS filter chain gets a
 * {@link DownstreamTls} in front of the protocol detector.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {
    private static final int MAX_CHUNK_BYTES = 16 * 1024;

    private final ListenerConfig listener;
    private final List<ProxyFilter> filters;
    private final AtomicReference<RuntimeSnapshot> snapshots;
    private final ProxyOptions options;
    private final ListenerStats stats;
    private final Stats allStats;
    private final TlsContexts tlsContexts;
    private final Map<String, TlsStats> tlsStats = DownstreamTls.statsMap();

    public ServerInitializer(ListenerConfig listener, List<ProxyFilter> filters,
                             AtomicReference<RuntimeSnapshot> snapshots, ProxyOptions options, Stats stats,
                             TlsContexts tlsContexts) {
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
        HeaderTimeoutHandler headerTimeout = new HeaderTimeoutHandler(options.headerTimeout());
        ch.pipeline().addLast("header-timeout", headerTimeout);
        ListenerConfig current = snapshots.get().config().listeners().getOrDefault(listener.name(), listener);
        if (current.tls() != null) {
            ch.pipeline().addLast("tls-detector", new DownstreamTls(current.tls(), tlsContexts, allStats, tlsStats));
        }
        ch.pipeline()
                .addLast("protocol-detector", new ProtocolDetector(ctx -> http1(ctx, headerTimeout), this::http2));
    }

    private void http1(ChannelHandlerContext ctx, HeaderTimeoutHandler headerTimeout) {
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(options.maxInitialLineBytes())
                .setMaxHeaderSize(options.maxHeaderBytes())
                .setMaxChunkSize(MAX_CHUNK_BYTES);
        ctx.pipeline()
                .addLast("http-server-codec", new HttpServerCodec(decoder))
                .addLast("expect-continue", new HttpServerExpectContinueHandler())
                .addLast("proxy", new DownstreamHandler(listener, filters, snapshots, options, stats, headerTimeout, false));
    }

    private void http2(ChannelHandlerContext ctx) {
        stats.cxTotal.inc();
        // HTTP/2 has its own flow control per stream; the connection itself is read continuously.
        ctx.pipeline().remove("header-timeout");
        ctx.pipeline()
                .addLast("http2-frame-codec", Http2FrameCodecBuilder.forServer()
                        .initialSettings(io.netty.handler.codec.http2.Http2Settings.defaultSettings()
                                .maxHeaderListSize(options.maxHeaderBytes()))
                        .build())
                .addLast("http2-multiplex", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.config().setAutoRead(false);
                        stream.pipeline()
                                .addLast("http2-to-http", new Http2StreamFrameToHttpObjectCodec(true))
                                .addLast("proxy", new DownstreamHandler(listener, filters, snapshots, options, stats,
                                        null, true));
                    }
                }))
                .addLast("connection-errors", ConnectionErrors.INSTANCE);
        ctx.channel().config().setAutoRead(true);
    }
}
