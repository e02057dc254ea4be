package dev.meshdeck.dataplane.retry;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.route.RequestHead;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Whether to retry a request after a try, with Envoy's {@code retry_on} semantics, and how long to back
 * off. Made per request with {@link #of}; immutable and thread-safe.
 *
 * <h2>Conditions (Envoy's)</h2>
 * <ul>
 *   <li>{@code 5xx}: any 5xx, a connect failure, a reset, a refused stream or a per-try timeout;</li>
 *   <li>{@code gateway-error}: 502, 503, 504, a connect failure, a reset, a refused stream or a per-try
 *       timeout (Envoy counts a reset as a 5xx for both);</li>
 *   <li>{@code reset}: a connect failure, a reset or a refused stream;</li>
 *   <li>{@code connect-failure}: a connect failure; {@code refused-stream}: a refused stream;</li>
 *   <li>{@code retriable-4xx}: 409; {@code retriable-status-codes}: the policy's status codes;</li>
 *   <li>{@code cancelled}, {@code deadline-exceeded}, {@code internal}, {@code resource-exhausted},
 *       {@code unavailable}: that {@code grpc-status} (1, 4, 13, 8, 14).</li>
 * </ul>
 * Other names Envoy knows ({@code retriable-headers}, {@code envoy-ratelimited}, ...) are ignored here, as
 * are unknown ones. The request's own {@code x-envoy-retry-on} / {@code x-envoy-retry-grpc-on} headers
 * add conditions to the route's, as in Envoy (the local app is trusted); without a route retry policy
 * there are no retries.
 *
 * <h2>Non-idempotent requests</h2>
 * Envoy retries any method. We do not replay a request whose method is not idempotent (RFC 9110: only
 * GET, HEAD, OPTIONS, TRACE, PUT and DELETE are), such as a POST, unless one of these holds:
 * <ul>
 *   <li>the try failed before the app could have seen the request — {@code CONNECT_FAILURE} or
 *       {@code REFUSED_STREAM} — and a condition covers it (these are safe to retry for any method);</li>
 *   <li>the request itself asks for retries with an {@code x-envoy-retry-on} or
 *       {@code x-envoy-retry-grpc-on} header: the app says this request is safe to replay.</li>
 * </ul>
 */
public final class RetryDecider {
    public static final String RETRY_ON_HEADER = "x-envoy-retry-on";
    public static final String RETRY_GRPC_ON_HEADER = "x-envoy-retry-grpc-on";

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    private enum Condition {
        FIVE_XX("5xx"), GATEWAY_ERROR("gateway-error"), RESET("reset"), CONNECT_FAILURE("connect-failure"),
        REFUSED_STREAM("refused-stream"), RETRIABLE_4XX("retriable-4xx"), RETRIABLE_STATUS_CODES("retriable-status-codes"),
        CANCELLED("cancelled"), DEADLINE_EXCEEDED("deadline-exceeded"), INTERNAL("internal"),
        RESOURCE_EXHAUSTED("resource-exhausted"), UNAVAILABLE("unavailable");

        final String envoyName;

        Condition(String envoyName) {
            this.envoyName = envoyName;
        }

        private static final Condition[] ALL = values();

        static void parse(String names, Collection<Condition> into) {
            for (String raw : names.split(",")) {
                String name = raw.strip().toLowerCase(Locale.ROOT);
                for (Condition c : ALL) {
                    if (c.envoyName.equals(name)) {
                        into.add(c);
                    }
                }
            }
        }

        /** The conditions a route's {@code retry_on} list names; only read, never changed. */
        static Set<Condition> parseAll(List<String> retryOn) {
            EnumSet<Condition> conditions = EnumSet.noneOf(Condition.class);
            retryOn.forEach(names -> parse(names, conditions));
            return conditions;
        }
    }

    /**
     * The parsed {@code retry_on} of the routes seen lately: a request reuses its route's instead of parsing
     * the names again. Few distinct lists exist at a time; the map is emptied when it passes {@link
     * #PARSED_LIMIT} (after many config changes), never blocking a request.
     */
    private static final ConcurrentHashMap<List<String>, Set<Condition>> PARSED = new ConcurrentHashMap<>();
    private static final int PARSED_LIMIT = 256;
    private static final Set<Condition> NONE = Collections.unmodifiableSet(EnumSet.noneOf(Condition.class));

    private final Route.RetryPolicy policy;
    private final Set<Condition> conditions;
    private final boolean replaySafe;

    private RetryDecider(Route.RetryPolicy policy, Set<Condition> conditions, boolean replaySafe) {
        this.policy = policy;
        this.conditions = conditions;
        this.replaySafe = replaySafe;
    }

    /** The decider for one request under {@code policy} (null: never retry). */
    public static RetryDecider of(Route.RetryPolicy policy, RequestHead request) {
        Objects.requireNonNull(request, "request");
        if (policy == null) {
            return new RetryDecider(null, NONE, false);
        }
        Set<Condition> routes = routeConditions(policy.retryOn());
        Optional<String> retryOn = request.header(RETRY_ON_HEADER);
        Optional<String> grpcRetryOn = request.header(RETRY_GRPC_ON_HEADER);
        if (retryOn.isEmpty() && grpcRetryOn.isEmpty()) {
            return new RetryDecider(policy, routes, idempotent(request.method()));
        }
        EnumSet<Condition> conditions = EnumSet.noneOf(Condition.class);
        conditions.addAll(routes);
        retryOn.ifPresent(names -> Condition.parse(names, conditions));
        grpcRetryOn.ifPresent(names -> Condition.parse(names, conditions));
        return new RetryDecider(policy, conditions, true);
    }

    private static Set<Condition> routeConditions(List<String> retryOn) {
        Set<Condition> parsed = PARSED.get(retryOn);
        if (parsed == null) {
            if (PARSED.size() >= PARSED_LIMIT) {
                PARSED.clear();
            }
            parsed = Condition.parseAll(retryOn);
            PARSED.putIfAbsent(retryOn, parsed);
        }
        return parsed;
    }

    /**
     * Whether to try again after {@code outcome}, when {@code retriesSoFar} retries have been made: a
     * retry is left, a condition covers the outcome, and replaying this request is safe (see the class
     * comment). Circuit breakers ({@code max_retries}) are the caller's to check.
     */
    public boolean shouldRetry(TryOutcome outcome, int retriesSoFar) {
        if (policy == null || retriesSoFar >= policy.numRetries()) {
            return false;
        }
        if (!covered(outcome)) {
            return false;
        }
        return replaySafe || outcome == TryOutcome.Failure.CONNECT_FAILURE || outcome == TryOutcome.Failure.REFUSED_STREAM;
    }

    /** Whether a retry condition covers {@code outcome}, regardless of retries left or the method. */
    public boolean covered(TryOutcome outcome) {
        return switch (outcome) {
            case TryOutcome.Failure f -> switch (f) {
                case CONNECT_FAILURE -> has(Condition.CONNECT_FAILURE) || resetLike();
                case REFUSED_STREAM -> has(Condition.REFUSED_STREAM) || resetLike();
                case RESET -> resetLike();
                case PER_TRY_TIMEOUT -> has(Condition.FIVE_XX) || has(Condition.GATEWAY_ERROR);
            };
            case TryOutcome.Response r -> coveredResponse(r);
        };
    }

    private boolean coveredResponse(TryOutcome.Response r) {
        int s = r.status();
        if (has(Condition.FIVE_XX) && s >= 500 && s <= 599) {
            return true;
        }
        if (has(Condition.GATEWAY_ERROR) && (s == 502 || s == 503 || s == 504)) {
            return true;
        }
        if (has(Condition.RETRIABLE_4XX) && s == 409) {
            return true;
        }
        if (has(Condition.RETRIABLE_STATUS_CODES) && policy.retriableStatusCodes().contains(s)) {
            return true;
        }
        if (r.grpcStatus().isPresent()) {
            return switch (r.grpcStatus().getAsInt()) {
                case 1 -> has(Condition.CANCELLED);
                case 4 -> has(Condition.DEADLINE_EXCEEDED);
                case 8 -> has(Condition.RESOURCE_EXHAUSTED);
                case 13 -> has(Condition.INTERNAL);
                case 14 -> has(Condition.UNAVAILABLE);
                default -> false;
            };
        }
        return false;
    }

    private boolean resetLike() {
        return has(Condition.RESET) || has(Condition.FIVE_XX) || has(Condition.GATEWAY_ERROR);
    }

    private boolean has(Condition c) {
        return conditions.contains(c);
    }

    /** RFC 9110's idempotent methods: GET, HEAD, OPTIONS, TRACE, PUT, DELETE (methods are case-sensitive). */
    public static boolean idempotent(String method) {
        return IDEMPOTENT.contains(method);
    }

    /**
     * Envoy's jittered exponential backoff before retry number {@code retryNumber} (1 for the first
     * retry): uniform in [0, min((2^n − 1) × base, max)) milliseconds — [0, base) before the first retry,
     * [0, 3 × base) before the second, and so on, never reaching {@code maxInterval}.
     */
    public static Duration backoff(Route.RetryPolicy policy, int retryNumber, RandomGenerator random) {
        if (retryNumber < 1) {
            throw new IllegalArgumentException("retryNumber: " + retryNumber + " (expected: 1 or more)");
        }
        long base = Math.max(1, policy.baseInterval().toMillis());
        long max = Math.max(1, policy.maxInterval().toMillis());
        long multiplier = retryNumber >= 62 ? Long.MAX_VALUE : (1L << retryNumber) - 1;
        long ceiling = multiplier > max / base ? max : Math.min(max, multiplier * base);
        return Duration.ofMillis(random.nextLong(ceiling));
    }
}
