package dev.meshdeck.dataplane.proxy.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** The sidecar's own answers: a status and one line of text saying what went wrong. */
final class LocalReplies {
    private LocalReplies() {
    }

    static FullHttpResponse of(ByteBufAllocator alloc, HttpVersion version, HttpResponseStatus status, String message) {
        FullHttpResponse r = new DefaultFullHttpResponse(version, status,
                ByteBufUtil.writeUtf8(alloc, message + "\n"));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        return r;
    }
}
