package dev.meshdeck.dataplane.retry;

import java.util.OptionalInt;

/** How one try of a request ended: a response, or one of the ways a try fails without one. */
public sealed interface TryOutcome {

    /** A response status, with the {@code grpc-status} from its headers or trailers for gRPC. */
    static TryOutcome status(int status) {
        return new Response(status, OptionalInt.empty());
    }

    /** A gRPC response: HTTP {@code status} (normally 200) with {@code grpc-status}. */
    static TryOutcome grpc(int status, int grpcStatus) {
        return new Response(status, OptionalInt.of(grpcStatus));
    }

    /** A response. */
    record Response(int status, OptionalInt grpcStatus) implements TryOutcome {
        public Response {
            if (status < 100 || status > 999) {
                throw new IllegalArgumentException("status: " + status + " (expected: 100..999)");
            }
            grpcStatus = grpcStatus == null ? OptionalInt.empty() : grpcStatus;
        }
    }

    /** No response. */
    enum Failure implements TryOutcome {
        /** The connection could not be made (refused, timed out, TLS failed): the request never left. */
        CONNECT_FAILURE,
        /** The connection or stream was reset after the request was (perhaps partly) sent. */
        RESET,
        /** The per-try timeout struck before the response headers came. */
        PER_TRY_TIMEOUT,
        /** HTTP/2 {@code REFUSED_STREAM}: the server guarantees it did not process the request. */
        REFUSED_STREAM
    }
}
