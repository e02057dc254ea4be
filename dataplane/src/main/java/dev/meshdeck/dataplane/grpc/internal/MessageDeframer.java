package dev.meshdeck.dataplane.grpc.internal;

import dev.meshdeck.dataplane.grpc.GrpcStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Cuts the bytes of a response's DATA frames into gRPC messages, whatever the frames' boundaries: a message
 * may span frames and a frame may hold several messages. Refuses a compressed message (this client never
 * offers an encoding) and one longer than the limit, before reading its body.
 */
final class MessageDeframer {
    /** Takes each complete message; the buffer is released when it returns. */
    interface Sink {
        void message(ByteBuf message);
    }

    private static final int MAX_INITIAL_BODY = 64 * 1024;

    private final int maxMessageBytes;
    private final ByteBufAllocator alloc;
    private final byte[] header = new byte[MessageFramer.HEADER_BYTES];
    private int headerRead;
    private int length = -1;
    private ByteBuf body;
    private boolean closed;

    MessageDeframer(int maxMessageBytes, ByteBufAllocator alloc) {
        this.maxMessageBytes = maxMessageBytes;
        this.alloc = alloc;
    }

    /**
     * Reads all of {@code data} (not released here), handing every complete message to {@code sink}.
     *
     * @throws dev.meshdeck.dataplane.grpc.GrpcException a message this client cannot take
     */
    void feed(ByteBuf data, Sink sink) {
        while (!closed && data.isReadable()) {
            if (length < 0) {
                int n = Math.min(MessageFramer.HEADER_BYTES - headerRead, data.readableBytes());
                data.readBytes(header, headerRead, n);
                headerRead += n;
                if (headerRead < MessageFramer.HEADER_BYTES) {
                    return;
                }
                length = checkHeader();
                if (length == 0) {
                    deliver(alloc.buffer(0, 0), sink);
                    continue;
                }
            }
            if (body == null && data.readableBytes() >= length) {
                deliver(data.readRetainedSlice(length), sink);
                continue;
            }
            if (body == null) {
                body = alloc.buffer(Math.min(length, MAX_INITIAL_BODY), length);
            }
            body.writeBytes(data, Math.min(length - body.readableBytes(), data.readableBytes()));
            if (body.readableBytes() == length) {
                ByteBuf complete = body;
                body = null;
                deliver(complete, sink);
            }
        }
    }

    /** Whether a message has begun and not ended (a stream ending now would cut it). */
    boolean midMessage() {
        return headerRead > 0;
    }

    /** How much of the current message has arrived, for an error message. */
    String progress() {
        return length < 0 ? headerRead + " of the 5 header bytes"
                : (body == null ? 0 : body.readableBytes()) + " of " + length + " bytes";
    }

    /** Drops a partly read message and reads no more. */
    void close() {
        closed = true;
        if (body != null) {
            body.release();
            body = null;
        }
        headerRead = 0;
        length = -1;
    }

    private int checkHeader() {
        int flag = header[0] & 0xff;
        long len = ((header[1] & 0xffL) << 24) | ((header[2] & 0xff) << 16) | ((header[3] & 0xff) << 8) | (header[4] & 0xff);
        if (flag == 1) {
            throw GrpcStatus.of(GrpcStatus.Code.INTERNAL, "the server sent a compressed message (compressed-flag 1),"
                    + " but this client negotiated no grpc-encoding").asException();
        }
        if (flag != 0) {
            throw GrpcStatus.of(GrpcStatus.Code.INTERNAL, "invalid compressed-flag " + flag
                    + " in a message prefix (expected: 0)").asException();
        }
        if (len > maxMessageBytes) {
            throw GrpcStatus.of(GrpcStatus.Code.RESOURCE_EXHAUSTED, "the server sent a message of " + len
                    + " bytes, more than this client's maximum of " + maxMessageBytes + " bytes").asException();
        }
        return (int) len;
    }

    private void deliver(ByteBuf message, Sink sink) {
        headerRead = 0;
        length = -1;
        try {
            sink.message(message);
        } finally {
            message.release();
        }
    }
}
