package dev.meshdeck.dataplane.fault;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the fault filter does to one request: wait {@code delay} first (zero for none), then abort with an
 * HTTP status, or with a gRPC status (an HTTP 200 carrying {@code grpc-status}), or neither. At most one
 * of the two abort statuses is set.
 */
public record FaultDecision(Duration delay, OptionalInt abortHttpStatus, OptionalInt abortGrpcStatus) {
    public static final FaultDecision NONE = new FaultDecision(Duration.ZERO, OptionalInt.empty(), OptionalInt.empty());

    public FaultDecision {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(abortHttpStatus, "abortHttpStatus");
        Objects.requireNonNull(abortGrpcStatus, "abortGrpcStatus");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: zero or more)");
        }
        if (abortHttpStatus.isPresent() && abortGrpcStatus.isPresent()) {
            throw new IllegalArgumentException("abort: both HTTP " + abortHttpStatus.getAsInt() + " and gRPC "
                    + abortGrpcStatus.getAsInt() + " (expected: at most one)");
        }
    }

    public boolean delays() {
        return !delay.isZero();
    }

    public boolean aborts() {
        return abortHttpStatus.isPresent() || abortGrpcStatus.isPresent();
    }
}
