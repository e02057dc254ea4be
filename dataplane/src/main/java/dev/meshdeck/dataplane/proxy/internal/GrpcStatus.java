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

    /** HTTP 200 with no body and the gRPC status in the headers (a trailers-only response). */
    static FullHttpResponse trailersOnly(Exchange exchange, int grpcStatus, String message) {
        FullHttpResponse r = new DefaultFullHttpResponse(exchange.clientVersion(), HttpResponseStatus.OK,
                Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                .set("grpc-status", Integer.toString(grpcStatus))
                .set("grpc-message", message)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return r;
    }
}
