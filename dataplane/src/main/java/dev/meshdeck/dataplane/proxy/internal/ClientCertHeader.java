package dev.meshdeck.dataplane.proxy.internal;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.Http2StreamChannel;

/**
 * {@code x-forwarded-client-cert} as Envoy's {@code SANITIZE_SET}: whatever a client sent is removed (it
 * could claim any identity), and a request that came over mutual TLS gets its verified client's identity
 * ({@code By=<this sidecar's SPIFFE ID>;Hash=<SHA-256 of the client's certificate>;URI=<client's SPIFFE ID>}).
 */
final class ClientCertHeader {
    static final String NAME = "x-forwarded-client-cert";

    private ClientCertHeader() {
    }

    /** Applies to {@code headers} of a request on {@code ch} (a connection, or an HTTP/2 stream of one). */
    static void apply(Channel ch, HttpHeaders headers) {
        headers.remove(NAME);
        Channel connection = ch instanceof Http2StreamChannel ? ch.parent() : ch;
        DownstreamTls.Peer peer = connection.attr(DownstreamTls.PEER).get();
        if (peer != null) {
            headers.set(NAME, peer.xfcc());
        }
    }
}
