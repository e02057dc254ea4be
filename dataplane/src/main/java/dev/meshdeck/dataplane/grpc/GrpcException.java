package dev.meshdeck.dataplane.grpc;

import java.util.Objects;

/** A gRPC call that ended with a status other than OK. */
public final class GrpcException extends RuntimeException {
    private final GrpcStatus status;

    public GrpcException(GrpcStatus status, Throwable cause) {
        super(Objects.requireNonNull(status, "status").toString(), cause);
        this.status = status;
    }

    public GrpcStatus status() {
        return status;
    }
}
