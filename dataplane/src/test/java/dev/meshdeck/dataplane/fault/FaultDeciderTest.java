package dev.meshdeck.dataplane.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.route.RequestHead;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FaultDeciderTest {
    private static final RequestHead PLAIN = request(Map.of());

    private static RequestHead request(Map<String, String> headers) {
        Map<String, List<String>> h = new java.util.HashMap<>();
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        return new RequestHead("GET", "ratings", "/ratings/0", h, "10.0.0.1");
    }

    private static Route.Fault abort(int status, double fraction) {
        return new Route.Fault(null, 0, false, status, null, fraction, false);
    }

    private static Route.Fault delay(Duration delay, double fraction) {
        return new Route.Fault(delay, fraction, false, null, null, 0, false);
    }

    private static Route.Fault headerControlled(double delayFraction, double abortFraction) {
        return new Route.Fault(null, delayFraction, true, null, null, abortFraction, true);
    }

    @Test
    void aFiftyPercentAbortOverTenThousandDecisionsLandsWithinTwoPoints() {
        var random = new Random(11);
        int aborted = 0;
        for (int i = 0; i < 10_000; i++) {
            FaultDecision d = FaultDecider.decide(abort(503, 0.5), PLAIN, random);
            if (d.aborts()) {
                assertThat(d.abortHttpStatus()).hasValue(503);
                aborted++;
            }
        }

        assertThat(aborted / 100.0).isBetween(48.0, 52.0);
    }

    @Test
    void aFullDelayDelaysEveryRequestAndNoneOtherwise() {
        var random = new Random(1);

        assertThat(FaultDecider.decide(delay(Duration.ofMillis(200), 1.0), PLAIN, random).delay())
                .isEqualTo(Duration.ofMillis(200));
        assertThat(FaultDecider.decide(delay(Duration.ofMillis(200), 0.0), PLAIN, random)).isEqualTo(FaultDecision.NONE);
    }

    @Test
    void delayAndAbortAreDrawnIndependently() {
        var fault = new Route.Fault(Duration.ofSeconds(1), 0.5, false, 500, null, 0.5, false);
        var random = new Random(5);
        int both = 0;
        for (int i = 0; i < 10_000; i++) {
            FaultDecision d = FaultDecider.decide(fault, PLAIN, random);
            if (d.delays() && d.aborts()) {
                both++;
            }
        }

        assertThat(both / 100.0).isBetween(23.0, 27.0);
    }

    @Test
    void aGrpcAbortCarriesTheGrpcStatus() {
        var fault = new Route.Fault(null, 0, false, null, 14, 1.0, false);

        FaultDecision d = FaultDecider.decide(fault, PLAIN, new Random(1));

        assertThat(d.abortGrpcStatus()).hasValue(14);
        assertThat(d.abortHttpStatus()).isEmpty();
    }

    @Test
    void noFaultConfigMeansNoFault() {
        assertThat(FaultDecider.decide(null, PLAIN, new Random(1))).isEqualTo(FaultDecision.NONE);
    }

    @Test
    void theSameSeedGivesTheSameDecisions() {
        var a = new Random(3);
        var b = new Random(3);
        for (int i = 0; i < 100; i++) {
            assertThat(FaultDecider.decide(abort(500, 0.3), PLAIN, a)).isEqualTo(FaultDecider.decide(abort(500, 0.3), PLAIN, b));
        }
    }

    // --- header control

    @Test
    void headersAskForADelayAndAnAbortWhenTheRouteAllowsIt() {
        var head = request(Map.of(FaultDecider.DELAY, "250", FaultDecider.ABORT, "429"));

        FaultDecision d = FaultDecider.decide(headerControlled(1.0, 1.0), head, new Random(1));

        assertThat(d.delay()).isEqualTo(Duration.ofMillis(250));
        assertThat(d.abortHttpStatus()).hasValue(429);
    }

    @Test
    void faultHeadersAreIgnoredWhenTheRouteDoesNotAllowThem() {
        var head = request(Map.of(FaultDecider.DELAY, "250", FaultDecider.ABORT, "429"));

        assertThat(FaultDecider.decide(abort(503, 0.0), head, new Random(1))).isEqualTo(FaultDecision.NONE);
    }

    @Test
    void headerControlWithoutHeadersDoesNothing() {
        assertThat(FaultDecider.decide(headerControlled(1.0, 1.0), PLAIN, new Random(1))).isEqualTo(FaultDecision.NONE);
    }

    @Test
    void theHttpAbortHeaderWinsOverTheGrpcOne() {
        var both = request(Map.of(FaultDecider.ABORT, "503", FaultDecider.ABORT_GRPC, "14"));
        var grpcOnly = request(Map.of(FaultDecider.ABORT_GRPC, "14"));

        assertThat(FaultDecider.decide(headerControlled(0, 1.0), both, new Random(1)).abortHttpStatus()).hasValue(503);
        FaultDecision grpc = FaultDecider.decide(headerControlled(0, 1.0), grpcOnly, new Random(1));
        assertThat(grpc.abortGrpcStatus()).hasValue(14);
        assertThat(grpc.abortHttpStatus()).isEmpty();
    }

    @Test
    void malformedOrOutOfRangeFaultHeadersAreIgnored() {
        var random = new Random(1);

        assertThat(FaultDecider.decide(headerControlled(1, 1), request(Map.of(FaultDecider.ABORT, "600")), random).aborts()).isFalse();
        assertThat(FaultDecider.decide(headerControlled(1, 1), request(Map.of(FaultDecider.ABORT, "199")), random).aborts()).isFalse();
        assertThat(FaultDecider.decide(headerControlled(1, 1), request(Map.of(FaultDecider.ABORT, "oops")), random).aborts()).isFalse();
        assertThat(FaultDecider.decide(headerControlled(1, 1), request(Map.of(FaultDecider.ABORT_GRPC, "-1")), random).aborts()).isFalse();
        assertThat(FaultDecider.decide(headerControlled(1, 1), request(Map.of(FaultDecider.DELAY, "-5")), random).delays()).isFalse();
    }

    @Test
    void thePercentageHeaderSetsTheShareOfRequests() {
        var head = request(Map.of(FaultDecider.ABORT, "503", FaultDecider.ABORT_PERCENTAGE, "30"));
        var random = new Random(17);
        int aborted = 0;
        for (int i = 0; i < 10_000; i++) {
            if (FaultDecider.decide(headerControlled(0, 1.0), head, random).aborts()) {
                aborted++;
            }
        }

        assertThat(aborted / 100.0).isBetween(28.0, 32.0);
    }

    @Test
    void thePercentageHeaderCannotExceedTheConfiguredShare() {
        var head = request(Map.of(FaultDecider.DELAY, "100", FaultDecider.DELAY_PERCENTAGE, "100"));
        var random = new Random(23);
        int delayed = 0;
        for (int i = 0; i < 10_000; i++) {
            if (FaultDecider.decide(headerControlled(0.2, 0), head, random).delays()) {
                delayed++;
            }
        }

        assertThat(delayed / 100.0).isBetween(18.0, 22.0);
    }

    @Test
    void aFixedAbortStandsInWhenHeaderControlIsOnButTheRequestHasNoHeader() {
        var fault = new Route.Fault(null, 0, false, 503, null, 1.0, true);

        assertThat(FaultDecider.decide(fault, PLAIN, new Random(1)).abortHttpStatus()).hasValue(503);
        assertThat(FaultDecider.decide(fault, request(Map.of(FaultDecider.ABORT, "418")), new Random(1)).abortHttpStatus())
                .hasValue(418);
    }

    @Test
    void aDecisionCannotAbortTwoWays() {
        assertThatThrownBy(() -> new FaultDecision(Duration.ZERO, OptionalInt.of(503), OptionalInt.of(14)))
                .hasMessage("abort: both HTTP 503 and gRPC 14 (expected: at most one)");
    }
}
