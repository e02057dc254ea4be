package dev.meshdeck.dataplane.grpc;

/**
 * A call in progress on a {@link GrpcChannel}: this side sends messages and then half-closes, or cancels;
 * the server's messages and the final status reach the call's {@link Listener}. Every method may be called
 * from any thread; after the call ended they do nothing.
 */
public interface GrpcCall<Q> {
    /**
     * Sends one message. Messages wait while HTTP/2 flow control holds them back: up to Netty's write buffer high
     * water mark (64 KiB) in the stream channel, then in the call; when more than the channel's
     * {@link GrpcChannelOptions#maxBufferedOutboundBytes()} wait in the call, it ends with
     * {@code RESOURCE_EXHAUSTED}.
     */
    void send(Q message);

    /** Says that no more messages follow (END_STREAM after the last one). */
    void halfClose();

    /** Ends the call with {@code CANCELLED} and {@code reason}, resetting its stream (RST_STREAM CANCEL). */
    void cancel(String reason);

    /**
     * What a call reports, on the channel's event loop thread, one event at a time: messages, then exactly
     * one {@link #onClose}. Implementations must not block.
     */
    interface Listener<R> {
        void onMessage(R message);

        void onClose(GrpcStatus status);
    }
}
