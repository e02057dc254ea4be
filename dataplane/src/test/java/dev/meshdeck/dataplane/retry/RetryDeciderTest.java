package dev.meshdeck.dataplane.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.retry.TryOutcome.Failure;
import dev.meshdeck.dataplane.route.RequestHead;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RetryDeciderTest {
    private static final RequestHead GET = head("GET", Map.of());
    private static final RequestHead POST = head("POST", Map.of());

    private static RequestHead head(String method, Map<String, String> headers) {
        Map<String, List<String>> h = new java.util.HashMap<>();
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        return new RequestHead(method, "reviews", "/reviews/1", h, "10.0.0.1");
    }

    private static Route.RetryPolicy policy(String retryOn, Integer... codes) {
        return new Route.RetryPolicy(2, List.of(retryOn), List.of(codes), null, null, null);
    }

    private static boolean retries(String retryOn, TryOutcome outcome) {
        return RetryDecider.of(policy(retryOn, 418), GET).shouldRetry(outcome, 0);
    }

    private static TryOutcome outcome(String name) {
        return switch (name) {
            case "CONNECT_FAILURE", "RESET", "PER_TRY_TIMEOUT", "REFUSED_STREAM" -> Failure.valueOf(name);
            default -> name.startsWith("grpc-")
                    ? TryOutcome.grpc(200, Integer.parseInt(name.substring(5)))
                    : TryOutcome.status(Integer.parseInt(name));
        };
    }

    @ParameterizedTest(name = "{0} on {1} retries: {2}")
    @CsvSource({
            "5xx, 500, true", "5xx, 503, true", "5xx, 404, false", "5xx, 200, false",
            "5xx, CONNECT_FAILURE, true", "5xx, RESET, true", "5xx, REFUSED_STREAM, true", "5xx, PER_TRY_TIMEOUT, true",
            "gateway-error, 502, true", "gateway-error, 503, true", "gateway-error, 504, true", "gateway-error, 500, false",
            "gateway-error, RESET, true", "gateway-error, PER_TRY_TIMEOUT, true",
            "reset, RESET, true", "reset, CONNECT_FAILURE, true", "reset, REFUSED_STREAM, true",
            "reset, PER_TRY_TIMEOUT, false", "reset, 503, false",
            "connect-failure, CONNECT_FAILURE, true", "connect-failure, RESET, false", "connect-failure, 503, false",
            "refused-stream, REFUSED_STREAM, true", "refused-stream, RESET, false",
            "retriable-4xx, 409, true", "retriable-4xx, 404, false",
            "retriable-status-codes, 418, true", "retriable-status-codes, 500, false",
            "cancelled, grpc-1, true", "deadline-exceeded, grpc-4, true", "resource-exhausted, grpc-8, true",
            "internal, grpc-13, true", "unavailable, grpc-14, true", "unavailable, grpc-13, false",
            "5xx, grpc-14, false", "unknown-condition, 503, false"
    })
    void retriesPerEnvoysConditions(String retryOn, String outcome, boolean expected) {
        assertThat(retries(retryOn, outcome(outcome))).isEqualTo(expected);
    }

    @Test
    void conditionsMayComeCommaSeparatedInOneString() {
        var decider = RetryDecider.of(policy("connect-failure, refused-stream,unavailable"), GET);

        assertThat(decider.shouldRetry(Failure.REFUSED_STREAM, 0)).isTrue();
        assertThat(decider.shouldRetry(TryOutcome.grpc(200, 14), 0)).isTrue();
        assertThat(decider.shouldRetry(TryOutcome.status(503), 0)).isFalse();
    }

    @Test
    void stopsWhenTheRetriesAreUsedUp() {
        var decider = RetryDecider.of(policy("5xx"), GET);

        assertThat(decider.shouldRetry(TryOutcome.status(503), 1)).isTrue();
        assertThat(decider.shouldRetry(TryOutcome.status(503), 2)).isFalse();
    }

    @Test
    void noPolicyMeansNoRetry() {
        var decider = RetryDecider.of(null, head("GET", Map.of(RetryDecider.RETRY_ON_HEADER, "5xx")));

        assertThat(decider.shouldRetry(TryOutcome.status(503), 0)).isFalse();
    }

    @Test
    void aPostIsNotReplayedAfterItMayHaveReachedTheApp() {
        var decider = RetryDecider.of(policy("5xx"), POST);

        assertThat(decider.covered(TryOutcome.status(503))).isTrue();
        assertThat(decider.shouldRetry(TryOutcome.status(503), 0)).isFalse();
        assertThat(decider.shouldRetry(Failure.RESET, 0)).isFalse();
        assertThat(decider.shouldRetry(Failure.PER_TRY_TIMEOUT, 0)).isFalse();
    }

    @Test
    void aPostIsRetriedWhenItNeverReachedTheApp() {
        var decider = RetryDecider.of(policy("5xx"), POST);

        assertThat(decider.shouldRetry(Failure.CONNECT_FAILURE, 0)).isTrue();
        assertThat(decider.shouldRetry(Failure.REFUSED_STREAM, 0)).isTrue();
    }

    @Test
    void aPostThatAsksForRetriesWithTheRetryOnHeaderIsReplayed() {
        var decider = RetryDecider.of(policy("connect-failure"), head("POST", Map.of(RetryDecider.RETRY_ON_HEADER, "5xx")));

        assertThat(decider.shouldRetry(TryOutcome.status(503), 0)).isTrue();
    }

    @Test
    void theGrpcRetryOnHeaderAddsGrpcConditions() {
        var decider = RetryDecider.of(policy("connect-failure"), head("POST", Map.of(RetryDecider.RETRY_GRPC_ON_HEADER, "unavailable")));

        assertThat(decider.shouldRetry(TryOutcome.grpc(200, 14), 0)).isTrue();
        assertThat(decider.shouldRetry(TryOutcome.grpc(200, 13), 0)).isFalse();
    }

    @Test
    void idempotentMethodsAreThoseOfRfc9110() {
        assertThat(List.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE")).allMatch(RetryDecider::idempotent);
        assertThat(List.of("POST", "PATCH", "CONNECT", "get")).noneMatch(RetryDecider::idempotent);
    }

    // --- backoff

    @Test
    void backoffStaysWithinEnvoysJitteredExponentialBounds() {
        var policy = new Route.RetryPolicy(5, List.of("5xx"), null, null, Duration.ofMillis(25), Duration.ofMillis(250));
        var random = new Random(8);
        long[] ceilings = {25, 75, 175, 250, 250, 250};

        for (int n = 1; n <= ceilings.length; n++) {
            long highest = 0;
            for (int i = 0; i < 2000; i++) {
                long ms = RetryDecider.backoff(policy, n, random).toMillis();
                assertThat(ms).isBetween(0L, ceilings[n - 1] - 1);
                highest = Math.max(highest, ms);
            }
            assertThat(highest).isGreaterThanOrEqualTo(ceilings[n - 1] * 9 / 10);
        }
    }

    @Test
    void backoffNeverOverflowsOnLateRetries() {
        var policy = new Route.RetryPolicy(100, List.of("5xx"), null, null, Duration.ofMillis(25), Duration.ofMillis(250));

        assertThat(RetryDecider.backoff(policy, 80, new Random(1))).isLessThan(Duration.ofMillis(250));
    }

    @Test
    void backoffNumbersRetriesFromOne() {
        var policy = new Route.RetryPolicy(1, List.of("5xx"), null, null, null, null);

        assertThatThrownBy(() -> RetryDecider.backoff(policy, 0, new Random(1)))
                .hasMessage("retryNumber: 0 (expected: 1 or more)");
    }
}
