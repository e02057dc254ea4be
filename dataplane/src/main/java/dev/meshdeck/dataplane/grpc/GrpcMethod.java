package dev.meshdeck.dataplane.grpc;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * One gRPC method as the client calls it: its full name ({@code package.Service/Method}, the request's
 * {@code :path} without the leading slash) and how its messages are written and read.
 */
public record GrpcMethod<Q, R>(String fullName, Encoder<Q> requestEncoder, Decoder<R> responseDecoder) {
    /** Writes one request message's bytes (without gRPC's 5-byte prefix). */
    @FunctionalInterface
    public interface Encoder<T> {
        void encode(T message, OutputStream out) throws IOException;
    }

    /** Reads one response message from exactly its bytes. */
    @FunctionalInterface
    public interface Decoder<T> {
        T decode(InputStream in) throws IOException;
    }

    public GrpcMethod {
        Objects.requireNonNull(fullName, "fullName");
        Objects.requireNonNull(requestEncoder, "requestEncoder");
        Objects.requireNonNull(responseDecoder, "responseDecoder");
        int slash = fullName.indexOf('/');
        if (slash <= 0 || slash == fullName.length() - 1 || fullName.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("gRPC method " + fullName + " (expected: package.Service/Method)");
        }
    }

    /** A method of {@code service} whose messages are protobuf (lite) messages; responses parsed by {@code parser}. */
    public static <Q extends MessageLite, R extends MessageLite> GrpcMethod<Q, R> protobuf(String service, String method,
                                                                                          Parser<R> parser) {
        Objects.requireNonNull(parser, "parser");
        return new GrpcMethod<>(service + "/" + method, MessageLite::writeTo, parser::parseFrom);
    }

    /** The request's {@code :path}. */
    public String path() {
        return "/" + fullName;
    }
}
