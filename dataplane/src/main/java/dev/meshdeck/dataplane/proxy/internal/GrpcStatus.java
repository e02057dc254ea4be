package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.route.RequestHead;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Locale;

/** gRPC local answers: recognising a gRPC request, Envoy's status mappings, the trailers-only answer. */
final class GrpcStatus {
    static final String CONTENT_TYPE = "application/grpc";

    private GrpcStatus() {
    }

    /** A gRPC request: content type {@code application/grpc}, alone or with a suffix ({@code +proto}, {@code ;...}). */
    static boolean isGrpc(RequestHead head) {
        return head.header("content-type").map(v -> {
            String t = v.strip().toLowerCase(Locale.ROOT);
            return t.equals(CONTENT_TYPE) || t.startsWith(CONTENT_TYPE + "+") || t.startsWith(CONTENT_TYPE + ";");
        }).orElse(false);
    }

    /** Envoy's {@code Grpc::Utility::httpToGrpcStatus}. */
    static int fromHttp(int http) {
        return switch (http) {
            case 400 -> 13; // INTERNAL
            case 401 -> 16; // UNAUTHENTICATED
            case 403 -> 7; // PERMISSION_DENIED
            case 404 -> 12; // UNIMPLEMENTED
            case 429, 502, 503, 504 -> 14; // UNAVAILABLE
            default -> 2; // UNKNOWN
        };
    }

    /** Envoy's {@code Grpc::Utility::grpcToHttpStatus}. */
    static int toHttp(int grpc) {
        return switch (grpc) {
            case 0 -> 200;
            case 1 -> 499;
            case 3, 9, 11 -> 400;
            case 4 -> 504;
            case 5 -> 404;
            case 6, 10 -> 409;
            case 7 -> 403;
            case 8 -> 429;
            case 12 -> 501;
            case 14 -> 503;
            case 16 -> 401;
            default -> 500;
        };
    }

    /**
     * {@code message} as a {@code grpc-message} value: UTF-8, with bytes outside printable ASCII and {@code %}
     * percent-encoded (the gRPC HTTP/2 protocol).
     */
    static String percentEncoded(String message) {
        StringBuilder b = new StringBuilder(message.length());
        for (byte x : message.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '%') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }

    /** HTTP 200 with no body and the gRPC status in the headers (a trailers-only response). */
    static FullHttpResponse trailersOnly(Exchange exchange, int grpcStatus, String message) {
        FullHttpResponse r = new DefaultFullHttpResponse(exchange.clientVersion(), HttpResponseStatus.OK,
                Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                .set("grpc-status", Integer.toString(grpcStatus))
                .set("grpc-message", percentEncoded(message))
                .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return r;
    }
}
