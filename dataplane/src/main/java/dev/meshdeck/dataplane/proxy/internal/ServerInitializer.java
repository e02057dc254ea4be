package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.ListenerConfig;
import dev.meshdeck.dataplane.proxy.ProxyOptions;
import dev.meshdeck.dataplane.stats.Stats;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Assembles a client connection's pipeline: header timeout, HTTP/1.1 codec, 100-continue, the proxy. */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {
    private static final int MAX_CHUNK_BYTES = 16 * 1024;

    private final ListenerConfig listener;
    private final List<ProxyFilter> filters;
    private final AtomicReference<RuntimeSnapshot> snapshots;
    private final ProxyOptions options;
    private final ListenerStats stats;

    public ServerInitializer(ListenerConfig listener, List<ProxyFilter> filters,
                             AtomicReference<RuntimeSnapshot> snapshots, ProxyOptions options, Stats stats) {
        this.listener = listener;
        this.filters = filters;
        this.snapshots = snapshots;
        this.options = options;
        this.stats = new ListenerStats(stats, listener.name());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        HeaderTimeoutHandler headerTimeout = new HeaderTimeoutHandler(options.headerTimeout());
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(options.maxInitialLineBytes())
                .setMaxHeaderSize(options.maxHeaderBytes())
                .setMaxChunkSize(MAX_CHUNK_BYTES);
        ch.pipeline()
                .addLast("header-timeout", headerTimeout)
                .addLast("http-server-codec", new HttpServerCodec(decoder))
                .addLast("expect-continue", new HttpServerExpectContinueHandler())
                .addLast("proxy", new DownstreamHandler(listener, filters, snapshots, options, stats, headerTimeout));
    }
}
