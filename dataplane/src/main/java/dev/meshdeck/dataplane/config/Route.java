package dev.meshdeck.dataplane.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One route: its match, and either a forwarding action or a redirect, plus its per-route fault settings
 * and header changes.
 */
public record Route(String name, RouteMatch match, Action action, Redirect redirect, Fault fault,
                    HeaderOps requestHeaders, HeaderOps responseHeaders) {
    public Route {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(match, "match");
        if ((action == null) == (redirect == null)) {
            throw new IllegalArgumentException("route " + name + ": expected exactly one of a route action or a redirect");
        }
        requestHeaders = requestHeaders == null ? HeaderOps.NONE : requestHeaders;
        responseHeaders = responseHeaders == null ? HeaderOps.NONE : responseHeaders;
    }

    /** Every cluster this route may send to, mirrors included. */
    public List<String> clusterNames() {
        if (action == null) {
            return List.of();
        }
        return Stream.concat(action.clusters().stream().map(WeightedCluster::name),
                action.mirrors().stream().map(Mirror::cluster)).distinct().toList();
    }

    /**
     * Forward to weighted clusters.
     *
     * @param clusters      one or more, with weights (a single cluster has weight 1)
     * @param timeout       the whole request's timeout, retries included; {@link Duration#ZERO} for none
     * @param retry         the retry policy, or {@code null} for none
     * @param mirrors       clusters that get a copy (answers discarded), each for a share of requests
     * @param hashPolicies  how to hash a request for ring hash / Maglev clusters (first that yields wins)
     * @param prefixRewrite the replacement of the matched prefix, or {@code null}
     * @param hostRewrite   the replacement of the host/authority, or {@code null}
     */
    public record Action(List<WeightedCluster> clusters, Duration timeout, RetryPolicy retry, List<Mirror> mirrors,
                         List<HashPolicy> hashPolicies, String prefixRewrite, String hostRewrite) {
        public Action {
            clusters = List.copyOf(clusters);
            if (clusters.isEmpty()) {
                throw new IllegalArgumentException("route action: no cluster (expected: at least one)");
            }
            timeout = timeout == null ? Duration.ZERO : timeout;
            mirrors = List.copyOf(mirrors == null ? List.of() : mirrors);
            hashPolicies = List.copyOf(hashPolicies == null ? List.of() : hashPolicies);
        }

        public int totalWeight() {
            return clusters.stream().mapToInt(WeightedCluster::weight).sum();
        }
    }

    /** A cluster and its weight. */
    public record WeightedCluster(String name, int weight) {
        public WeightedCluster {
            Objects.requireNonNull(name, "name");
            if (weight < 0) {
                throw new IllegalArgumentException("cluster " + name + ": weight " + weight + " (expected: 0 or more)");
            }
        }
    }

    /**
     * Envoy's {@code RetryPolicy}: how many retries, on which conditions, per-try timeout and backoff.
     *
     * @param numRetries           retries after the first try
     * @param retryOn              Envoy's conditions ({@code 5xx}, {@code gateway-error}, {@code connect-failure},
     *                             {@code reset}, {@code retriable-status-codes}, {@code refused-stream}, ...)
     * @param retriableStatusCodes the codes {@code retriable-status-codes} retries
     * @param perTryTimeout        each try's timeout; {@link Duration#ZERO} for none
     * @param baseInterval         the backoff's base interval (Envoy's default 25 ms)
     * @param maxInterval          the backoff's cap (Envoy's default 10 × base)
     */
    public record RetryPolicy(int numRetries, List<String> retryOn, List<Integer> retriableStatusCodes,
                              Duration perTryTimeout, Duration baseInterval, Duration maxInterval) {
        public RetryPolicy {
            if (numRetries < 0) {
                throw new IllegalArgumentException("num_retries: " + numRetries + " (expected: 0 or more)");
            }
            retryOn = List.copyOf(retryOn);
            retriableStatusCodes = List.copyOf(retriableStatusCodes == null ? List.of() : retriableStatusCodes);
            perTryTimeout = perTryTimeout == null ? Duration.ZERO : perTryTimeout;
            baseInterval = baseInterval == null ? Duration.ofMillis(25) : baseInterval;
            maxInterval = maxInterval == null ? baseInterval.multipliedBy(10) : maxInterval;
        }
    }

    /** A mirror: a cluster that gets a copy of a share of requests ({@code fraction} 0..1). */
    public record Mirror(String cluster, double fraction) {
        public Mirror {
            Objects.requireNonNull(cluster, "cluster");
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("mirror " + cluster + ": fraction " + fraction + " (expected: 0..1)");
            }
        }
    }

    /** What a consistent-hash cluster hashes: a header, a cookie, the source address or a query parameter. */
    public record HashPolicy(Kind kind, String name) {
        public enum Kind { HEADER, COOKIE, SOURCE_IP, QUERY_PARAMETER }

        public HashPolicy {
            Objects.requireNonNull(kind, "kind");
        }
    }

    /** A redirect answer. */
    public record Redirect(int status, String host, String path) {
    }

    /**
     * Envoy's fault filter settings for this route ({@code HTTPFault}): a delay and/or an abort, each for a
     * share of requests ({@code 0..1}); {@code headerDelay}/{@code headerAbort} let a request ask for them
     * with {@code x-envoy-fault-delay-request} / {@code x-envoy-fault-abort-request}.
     */
    public record Fault(Duration delay, double delayFraction, boolean headerDelay,
                        Integer abortHttpStatus, Integer abortGrpcStatus, double abortFraction, boolean headerAbort) {
        public Fault {
            if (!(delayFraction >= 0 && delayFraction <= 1) || !(abortFraction >= 0 && abortFraction <= 1)) {
                throw new IllegalArgumentException("fault: fractions " + delayFraction + ", " + abortFraction
                        + " (expected: 0..1)");
            }
        }
    }

    /** Header changes: set (overwrite), add (append) and remove. Names are lower case. */
    public record HeaderOps(Map<String, String> set, Map<String, String> add, List<String> remove) {
        public static final HeaderOps NONE = new HeaderOps(Map.of(), Map.of(), List.of());

        public HeaderOps {
            set = Map.copyOf(set);
            add = Map.copyOf(add);
            remove = List.copyOf(remove);
        }
    }
}
