package dev.meshdeck.dataplane.proxy;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.route.RequestHead;
import java.time.Duration;
import java.util.Objects;

/**
 * Decides, per request, whether the route's fault settings delay it and/or abort it. The proxy's fault
 * filter asks this seam and carries the decision out; {@link #NONE} injects nothing.
 */
@FunctionalInterface
public interface FaultPolicy {

    /** Injects no fault. */
    FaultPolicy NONE = (fault, request) -> Decision.NONE;

    /**
     * @param fault   the route's fault settings (never null)
     * @param request the request
     */
    Decision decide(Route.Fault fault, RequestHead request);

    /**
     * What to do to one request.
     *
     * @param delay       how long to hold the request before forwarding; {@link Duration#ZERO} for none
     * @param abortStatus the HTTP status to answer with instead of forwarding; 0 for no abort
     */
    record Decision(Duration delay, int abortStatus) {
        public static final Decision NONE = new Decision(Duration.ZERO, 0);

        public Decision {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay: " + delay + " (expected: zero or more)");
            }
            if (abortStatus != 0 && (abortStatus < 200 || abortStatus > 599)) {
                throw new IllegalArgumentException("abortStatus: " + abortStatus + " (expected: 0 or 200..599)");
            }
        }
    }
}
