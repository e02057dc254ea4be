package dev.meshdeck.dataplane.fault;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.route.RequestHead;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * Decides Envoy's fault-filter behaviour ({@code envoy.filters.http.fault}) for one request: a delay for a
 * {@code delayFraction} share of requests, and, drawn independently, an abort for an
 * {@code abortFraction} share.
 *
 * <p>Header-controlled faults, as Envoy's, when {@link Route.Fault#headerDelay()} /
 * {@link Route.Fault#headerAbort()} are set:
 * <ul>
 *   <li>{@value #DELAY}: the delay in milliseconds;</li>
 *   <li>{@value #ABORT}: the HTTP status to abort with, in [200, 600);</li>
 *   <li>{@value #ABORT_GRPC}: the gRPC status to abort with (0 up to 2^31 - 1); ignored when {@value #ABORT} is
 *       present too;</li>
 *   <li>{@value #DELAY_PERCENTAGE} / {@value #ABORT_PERCENTAGE}: the percentage (0..100) of such requests
 *       to affect, never more than the configured fraction; without it the configured fraction
 *       applies.</li>
 * </ul>
 * A header with a value that is not a number in range is ignored. Envoy makes header control and fixed
 * values exclusive; our config record allows both, so a fixed delay or abort status stands in when the
 * request carries no usable header.
 */
public final class FaultDecider {
    public static final String DELAY = "x-envoy-fault-delay-request";
    public static final String DELAY_PERCENTAGE = "x-envoy-fault-delay-request-percentage";
    public static final String ABORT = "x-envoy-fault-abort-request";
    public static final String ABORT_GRPC = "x-envoy-fault-abort-grpc-request";
    public static final String ABORT_PERCENTAGE = "x-envoy-fault-abort-request-percentage";

    private FaultDecider() {
    }

    /** The faults for {@code request}; {@link FaultDecision#NONE} when {@code fault} is null. */
    public static FaultDecision decide(Route.Fault fault, RequestHead request, RandomGenerator random) {
        if (fault == null) {
            return FaultDecision.NONE;
        }
        Duration delay = decideDelay(fault, request, random);
        OptionalInt http = OptionalInt.empty();
        OptionalInt grpc = OptionalInt.empty();
        double fraction = fault.abortFraction();
        OptionalLong headerHttp = fault.headerAbort() ? number(request, ABORT, 200, 599) : OptionalLong.empty();
        OptionalLong headerGrpc = fault.headerAbort() && headerHttp.isEmpty()
                ? number(request, ABORT_GRPC, 0, Integer.MAX_VALUE) : OptionalLong.empty();
        if (headerHttp.isPresent() || headerGrpc.isPresent()) {
            fraction = capped(request, ABORT_PERCENTAGE, fraction);
            if (headerHttp.isPresent()) {
                http = OptionalInt.of((int) headerHttp.getAsLong());
            } else {
                grpc = OptionalInt.of((int) headerGrpc.getAsLong());
            }
        } else if (fault.abortHttpStatus() != null) {
            http = OptionalInt.of(fault.abortHttpStatus());
        } else if (fault.abortGrpcStatus() != null) {
            grpc = OptionalInt.of(fault.abortGrpcStatus());
        }
        if ((http.isPresent() || grpc.isPresent()) && !draw(fraction, random)) {
            http = OptionalInt.empty();
            grpc = OptionalInt.empty();
        }
        if (delay.isZero() && http.isEmpty() && grpc.isEmpty()) {
            return FaultDecision.NONE;
        }
        return new FaultDecision(delay, http, grpc);
    }

    private static Duration decideDelay(Route.Fault fault, RequestHead request, RandomGenerator random) {
        Duration delay = fault.delay();
        double fraction = fault.delayFraction();
        OptionalLong headerMillis = fault.headerDelay() ? number(request, DELAY, 0, Long.MAX_VALUE) : OptionalLong.empty();
        if (headerMillis.isPresent()) {
            delay = Duration.ofMillis(headerMillis.getAsLong());
            fraction = capped(request, DELAY_PERCENTAGE, fraction);
        }
        if (delay == null || delay.isZero() || delay.isNegative()) {
            return Duration.ZERO;
        }
        return draw(fraction, random) ? delay : Duration.ZERO;
    }

    /** The configured fraction, lowered to the request's percentage header if it has a valid one. */
    private static double capped(RequestHead request, String header, double configured) {
        OptionalLong percent = number(request, header, 0, Long.MAX_VALUE);
        return percent.isPresent() ? Math.min(configured, percent.getAsLong() / 100.0) : configured;
    }

    private static boolean draw(double fraction, RandomGenerator random) {
        if (fraction <= 0) {
            return false;
        }
        if (fraction >= 1) {
            return true;
        }
        return random.nextDouble() < fraction;
    }

    private static OptionalLong number(RequestHead request, String header, long min, long max) {
        Optional<String> raw = request.header(header);
        if (raw.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long v = Long.parseLong(raw.get().strip());
            return v >= min && v <= max ? OptionalLong.of(v) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
