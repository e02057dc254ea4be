package dev.meshdeck.dataplane.proxy;

import dev.meshdeck.dataplane.config.Route;
import java.time.Duration;
import java.util.Optional;

/**
 * Decides whether a failed try of a request is retried, and after which backoff. The proxy only asks
 * when a retry is possible at all (the route has a retry policy, the request body is still buffered, no
 * byte of the answer has gone to the client); {@link #NEVER} never retries.
 */
@FunctionalInterface
public interface RetryPolicyDecider {

    /** Never retries. */
    RetryPolicyDecider NEVER = (policy, retriesDone, outcome) -> Optional.empty();

    /**
     * @param policy      the route's retry policy
     * @param retriesDone retries already made (0 after the first try)
     * @param outcome     how the last try ended
     * @return the backoff before the next try, or empty for no retry
     */
    Optional<Duration> retryAfter(Route.RetryPolicy policy, int retriesDone, TryOutcome outcome);

    /** How one try ended. */
    sealed interface TryOutcome {
        /** The upstream answered with {@code status}. */
        record Response(int status) implements TryOutcome {
        }

        /** The connection to the upstream could not be made. */
        record ConnectFailure(String reason) implements TryOutcome {
        }

        /** The upstream closed or reset the connection before answering. */
        record Reset(String reason) implements TryOutcome {
        }

        /** The try's own timeout ({@code perTryTimeout}) passed. */
        record PerTryTimeout() implements TryOutcome {
        }
    }
}
