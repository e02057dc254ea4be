package dev.meshdeck.dataplane.grpc.internal;

import dev.meshdeck.dataplane.grpc.GrpcStatus;
import dev.meshdeck.dataplane.grpc.GrpcStatus.Code;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The status a response's headers, an HTTP status or an RST_STREAM stand for (gRPC's PROTOCOL-HTTP2.md). */
final class WireStatus {
    private WireStatus() {
    }

    /**
     * The status in {@code trailers} ({@code grpc-status}, percent-decoded {@code grpc-message}), or, when there
     * is none, the one {@code httpStatus} stands for (0: the response's headers came before, without one).
     */
    static GrpcStatus fromTrailers(Http2Headers trailers, int httpStatus) {
        CharSequence code = trailers.get("grpc-status");
        CharSequence message = trailers.get("grpc-message");
        if (code == null) {
            if (httpStatus != 0 && httpStatus != 200) {
                return fromHttp(httpStatus);
            }
            return GrpcStatus.of(Code.UNKNOWN, "the server's trailers have no grpc-status");
        }
        Code c = null;
        try {
            c = Code.ofValue(Integer.parseInt(code.toString()));
        } catch (NumberFormatException e) {
            // below
        }
        if (c == null) {
            return GrpcStatus.of(Code.UNKNOWN, "invalid grpc-status " + code + " (expected: 0..16)"
                    + (message == null ? "" : "; grpc-message: " + percentDecode(message.toString())));
        }
        return GrpcStatus.of(c, message == null ? "" : percentDecode(message.toString()));
    }

    /** gRPC's mapping of an HTTP status in a response without {@code grpc-status} (http-grpc-status-mapping.md). */
    static GrpcStatus fromHttp(int httpStatus) {
        Code code = switch (httpStatus) {
            case 400 -> Code.INTERNAL;
            case 401 -> Code.UNAUTHENTICATED;
            case 403 -> Code.PERMISSION_DENIED;
            case 404 -> Code.UNIMPLEMENTED;
            case 429, 502, 503, 504 -> Code.UNAVAILABLE;
            default -> Code.UNKNOWN;
        };
        return GrpcStatus.of(code, "HTTP status " + httpStatus + " without grpc-status (expected: 200 and a gRPC status)");
    }

    /** The status a server's RST_STREAM ends a call with. */
    static GrpcStatus fromReset(long errorCode) {
        Http2Error error = Http2Error.valueOf(errorCode);
        String name = error == null ? "error code " + errorCode : error.name();
        Code code = error == null ? Code.INTERNAL : switch (error) {
            case REFUSED_STREAM -> Code.UNAVAILABLE;
            case CANCEL -> Code.CANCELLED;
            case ENHANCE_YOUR_CALM -> Code.RESOURCE_EXHAUSTED;
            case INADEQUATE_SECURITY -> Code.PERMISSION_DENIED;
            default -> Code.INTERNAL;
        };
        return GrpcStatus.of(code, "the server reset the stream (RST_STREAM " + name + ")");
    }

    /**
     * {@code grpc-message} decoded: %XX sequences are UTF-8 bytes; a broken sequence is kept as it is (the
     * specification forbids throwing the message away).
     */
    static String percentDecode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); ) {
            if (value.charAt(i) == '%' && i + 2 < value.length() && hex(value.charAt(i + 1)) >= 0
                    && hex(value.charAt(i + 2)) >= 0) {
                out.write(hex(value.charAt(i + 1)) << 4 | hex(value.charAt(i + 2)));
                i += 3;
            } else {
                int cp = value.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /** A {@code grpc-timeout} value: at most 8 digits and the finest unit that fits. */
    static String timeout(long nanos) {
        long n = Math.max(1, nanos);
        long[] perUnit = {1, 1_000, 1_000_000, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L};
        char[] units = {'n', 'u', 'm', 'S', 'M', 'H'};
        for (int i = 0; i < units.length; i++) {
            long v = (n + perUnit[i] - 1) / perUnit[i];
            if (v <= 99_999_999L) {
                return v + String.valueOf(units[i]);
            }
        }
        return "99999999H";
    }
}
