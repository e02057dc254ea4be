package dev.meshdeck.dataplane.proxy.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * A request that came over HTTP/2 going to an HTTP/1.1-only upstream: HTTP/2 frames its body by DATA frames
 * and END_STREAM, HTTP/1.1 needs a length or chunks, so a body of unknown length is sent chunked. The
 * {@code Host} header is the client's {@code :authority} (Netty's conversion sets it); trailers go out as
 * chunked trailers.
 */
final class Http2ToHttp1 {
    private Http2ToHttp1() {
    }

    /** @param emptyBody whether the whole body has arrived and is empty (then no framing is needed) */
    static void adapt(HttpRequest head, boolean emptyBody) {
        if (!head.headers().contains(HttpHeaderNames.CONTENT_LENGTH) && !HttpUtil.isTransferEncodingChunked(head)
                && !emptyBody) {
            head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
    }
}
