package dev.meshdeck.dataplane.grpc;

import java.util.Objects;

/**
 * How a gRPC call ended: one of gRPC's status codes and, for an error, a description saying what happened
 * (the server's {@code grpc-message}, or what the client saw).
 */
public record GrpcStatus(Code code, String description) {
    /** gRPC's status codes, with their numbers on the wire ({@code grpc-status}). */
    public enum Code {
        OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED,
        RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, UNIMPLEMENTED, INTERNAL, UNAVAILABLE,
        DATA_LOSS, UNAUTHENTICATED;

        private static final Code[] BY_VALUE = values();

        /** The number gRPC gives this code. */
        public int value() {
            return ordinal();
        }

        /** The code with number {@code value}, or null for a number gRPC does not define. */
        public static Code ofValue(int value) {
            return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
        }
    }

    public static final GrpcStatus OK = new GrpcStatus(Code.OK, "");

    public GrpcStatus {
        Objects.requireNonNull(code, "code");
        description = description == null ? "" : description;
    }

    public static GrpcStatus of(Code code, String description) {
        return new GrpcStatus(code, description);
    }

    public boolean isOk() {
        return code == Code.OK;
    }

    public GrpcException asException() {
        return new GrpcException(this, null);
    }

    public GrpcException asException(Throwable cause) {
        return new GrpcException(this, cause);
    }

    @Override
    public String toString() {
        return description.isEmpty() ? code.name() : code + " " + description;
    }
}
