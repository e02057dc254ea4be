package dev.meshdeck.dataplane.grpc.internal;

import dev.meshdeck.dataplane.grpc.GrpcMethod;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;

/** gRPC's Length-Prefixed-Message: a 0 compressed-flag byte, the length (4 bytes, big endian), the message. */
final class MessageFramer {
    static final int HEADER_BYTES = 5;

    private MessageFramer() {
    }

    /** {@code message} framed in a new buffer (the caller owns it). */
    static <T> ByteBuf frame(ByteBufAllocator alloc, GrpcMethod.Encoder<T> encoder, T message) throws IOException {
        ByteBuf out = alloc.buffer();
        try {
            out.writeZero(HEADER_BYTES);
            encoder.encode(message, new ByteBufOutputStream(out));
            out.setInt(1, out.readableBytes() - HEADER_BYTES);
            return out;
        } catch (IOException | RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
