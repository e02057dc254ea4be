package dev.meshdeck.dataplane.proxy.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The HTTP/1.1 {@code Upgrade: h2c} handshake (RFC 7540 §3.2) on a client connection: Netty's
 * {@link HttpServerUpgradeHandler} answers 101 and swaps the HTTP/1.1 codec for the HTTP/2 handlers; the
 * upgrading request becomes stream 1 of the HTTP/2 connection (answered over HTTP/2). Requests that do not
 * ask for h2c (WebSocket upgrades included) pass through untouched.
 */
final class H2cUpgrade {
    private H2cUpgrade() {
    }

    /**
     * @param codec          the connection's HTTP/1.1 codec (removed on upgrade)
     * @param http2Handlers  makes the HTTP/2 frame codec and the handlers that follow it
     * @param upgraded       called once the HTTP/2 handlers are in place, to remove what served HTTP/1.1
     * @param maxRequestBytes the largest upgrading request (with its body) accepted
     */
    static HttpServerUpgradeHandler handler(HttpServerCodec codec, Supplier<Http2Handlers> http2Handlers,
                                            Consumer<ChannelHandlerContext> upgraded, int maxRequestBytes) {
        return new HttpServerUpgradeHandler(codec, protocol -> {
            if (!Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME.toString().contentEquals(protocol)) {
                return null;
            }
            Http2Handlers h = http2Handlers.get();
            return new Codec(new Http2ServerUpgradeCodec(h.codec(), h.after()), upgraded);
        }, maxRequestBytes);
    }

    /** The HTTP/2 frame codec of a connection and the handlers that go after it. */
    record Http2Handlers(Http2FrameCodec codec, ChannelHandler... after) {
    }

    /** Netty's h2c upgrade codec, then the caller's clean-up of the HTTP/1.1 handlers. */
    private record Codec(Http2ServerUpgradeCodec delegate, Consumer<ChannelHandlerContext> upgraded)
            implements HttpServerUpgradeHandler.UpgradeCodec {
        @Override
        public Collection<CharSequence> requiredUpgradeHeaders() {
            return delegate.requiredUpgradeHeaders();
        }

        @Override
        public boolean prepareUpgradeResponse(ChannelHandlerContext ctx, FullHttpRequest request, HttpHeaders headers) {
            return delegate.prepareUpgradeResponse(ctx, request, headers);
        }

        @Override
        public void upgradeTo(ChannelHandlerContext ctx, FullHttpRequest request) {
            delegate.upgradeTo(ctx, request);
            upgraded.accept(ctx);
        }
    }
}
