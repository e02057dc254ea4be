package dev.meshdeck.dataplane.proxy.support;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.proxy.RetryPolicyDecider;
import java.time.Duration;
import java.util.Optional;

/**
 * TEST STAND-IN for the real retry decider until it merges: Envoy's {@code 5xx}, {@code gateway-error},
 * {@code connect-failure}, {@code reset} and {@code retriable-status-codes} conditions, no backoff.
 */
public final class BasicRetryDecider implements RetryPolicyDecider {
    @Override
    public Optional<Duration> retryAfter(Route.RetryPolicy policy, int retriesDone, TryOutcome outcome) {
        if (retriesDone >= policy.numRetries()) {
            return Optional.empty();
        }
        boolean retry = switch (outcome) {
            case TryOutcome.Response r -> (policy.retryOn().contains("5xx") && r.status() >= 500)
                    || (policy.retryOn().contains("gateway-error") && r.status() >= 502 && r.status() <= 504)
                    || (policy.retryOn().contains("retriable-status-codes") && policy.retriableStatusCodes().contains(r.status()));
            case TryOutcome.ConnectFailure c -> policy.retryOn().contains("connect-failure") || policy.retryOn().contains("5xx");
            case TryOutcome.Reset r -> policy.retryOn().contains("reset") || policy.retryOn().contains("5xx");
            case TryOutcome.PerTryTimeout t -> policy.retryOn().contains("5xx") || policy.retryOn().contains("gateway-error");
        };
        return retry ? Optional.of(Duration.ZERO) : Optional.empty();
    }
}
