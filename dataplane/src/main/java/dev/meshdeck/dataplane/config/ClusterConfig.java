package dev.meshdeck.dataplane.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A cluster (CDS + its EDS): how to balance over its endpoints, how many connections and requests it
 * may have, when to eject a failing endpoint, the endpoints themselves, how long an upstream connection
 * may sit idle in the pool ({@code common_http_protocol_options.idle_timeout}; null: Envoy's 1 h; zero: never
 * closed for idleness), what the endpoints speak, TLS ({@code tls}: the cluster's
 * {@code UpstreamTlsContext}; null for plain text), and how many requests one upstream connection carries before
 * it is closed ({@code common_http_protocol_options.max_requests_per_connection}, Istio's
 * {@code maxRequestsPerConnection}; 0: no limit), and how a new endpoint's share of requests ramps up
 * ({@code slowStart}: round robin and least request only; null: it gets its full share at once).
 */
public record ClusterConfig(String name, LbPolicy lbPolicy, long ringSize, Duration connectTimeout,
                            CircuitBreakers circuitBreakers, OutlierDetection outlierDetection,
                            List<Endpoint> endpoints, Duration idleTimeout, UpstreamProtocol upstreamProtocol,
                            TlsSettings.Upstream tls, int maxRequestsPerConnection, SlowStart slowStart) {
    public enum LbPolicy { ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH, MAGLEV }

    /**
     * What the cluster's endpoints speak ({@code HttpProtocolOptions}): the client's protocol
     * ({@code use_downstream_protocol_config}, the default), HTTP/1.1 only ({@code explicit_http_config} with
     * {@code http_protocol_options}: an HTTP/2 client's requests are translated) or h2c
     * ({@code explicit_http_config} with {@code http2_protocol_options}).
     */
    public enum UpstreamProtocol { USE_DOWNSTREAM, HTTP1, HTTP2 }

    /** Whether a request that came over HTTP/2 (or HTTP/1.1 when false) goes upstream over HTTP/2. */
    public boolean http2Upstream(boolean http2Downstream) {
        return switch (upstreamProtocol) {
            case USE_DOWNSTREAM -> http2Downstream;
            case HTTP1 -> false;
            case HTTP2 -> true;
        };
    }

    /** Envoy's default {@code idle_timeout} of HTTP connections. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);

    /** A plain-text cluster whose pooled connections may idle for {@link #DEFAULT_IDLE_TIMEOUT}. */
    public ClusterConfig(String name, LbPolicy lbPolicy, long ringSize, Duration connectTimeout,
                         CircuitBreakers circuitBreakers, OutlierDetection outlierDetection, List<Endpoint> endpoints) {
        this(name, lbPolicy, ringSize, connectTimeout, circuitBreakers, outlierDetection, endpoints, null, null);
    }

    /** A plain-text cluster. */
    public ClusterConfig(String name, LbPolicy lbPolicy, long ringSize, Duration connectTimeout,
                         CircuitBreakers circuitBreakers, OutlierDetection outlierDetection, List<Endpoint> endpoints,
                         Duration idleTimeout, UpstreamProtocol upstreamProtocol) {
        this(name, lbPolicy, ringSize, connectTimeout, circuitBreakers, outlierDetection, endpoints, idleTimeout,
                upstreamProtocol, null);
    }

    /** A cluster whose upstream connections carry any number of requests. */
    public ClusterConfig(String name, LbPolicy lbPolicy, long ringSize, Duration connectTimeout,
                         CircuitBreakers circuitBreakers, OutlierDetection outlierDetection, List<Endpoint> endpoints,
                         Duration idleTimeout, UpstreamProtocol upstreamProtocol, TlsSettings.Upstream tls) {
        this(name, lbPolicy, ringSize, connectTimeout, circuitBreakers, outlierDetection, endpoints, idleTimeout,
                upstreamProtocol, tls, 0);
    }

    /** A cluster whose new endpoints get their full share of requests at once. */
    public ClusterConfig(String name, LbPolicy lbPolicy, long ringSize, Duration connectTimeout,
                         CircuitBreakers circuitBreakers, OutlierDetection outlierDetection, List<Endpoint> endpoints,
                         Duration idleTimeout, UpstreamProtocol upstreamProtocol, TlsSettings.Upstream tls,
                         int maxRequestsPerConnection) {
        this(name, lbPolicy, ringSize, connectTimeout, circuitBreakers, outlierDetection, endpoints, idleTimeout,
                upstreamProtocol, tls, maxRequestsPerConnection, null);
    }

    public ClusterConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lbPolicy, "lbPolicy");
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        circuitBreakers = circuitBreakers == null ? CircuitBreakers.UNLIMITED : circuitBreakers;
        endpoints = List.copyOf(endpoints);
        if (ringSize <= 0) {
            ringSize = 1024;
        }
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        upstreamProtocol = upstreamProtocol == null ? UpstreamProtocol.USE_DOWNSTREAM : upstreamProtocol;
        if (maxRequestsPerConnection < 0) {
            throw new IllegalArgumentException("cluster " + name + ": max requests per connection "
                    + maxRequestsPerConnection + " (expected: 0 for no limit, or more)");
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("cluster " + name + ": idle timeout " + idleTimeout
                    + " (expected: 0 or more)");
        }
        if (slowStart != null && lbPolicy != LbPolicy.ROUND_ROBIN && lbPolicy != LbPolicy.LEAST_REQUEST) {
            throw new IllegalArgumentException("cluster " + name + ": slow start with " + lbPolicy
                    + " (expected: ROUND_ROBIN or LEAST_REQUEST)");
        }
    }

    /** This cluster with other endpoints (an EDS update). */
    public ClusterConfig withEndpoints(List<Endpoint> next) {
        return new ClusterConfig(name, lbPolicy, ringSize, connectTimeout, circuitBreakers, outlierDetection, next,
                idleTimeout, upstreamProtocol, tls, maxRequestsPerConnection, slowStart);
    }

    /** This cluster with TLS ({@code null}: plain text). */
    public ClusterConfig withTls(TlsSettings.Upstream next) {
        return new ClusterConfig(name, lbPolicy, ringSize, connectTimeout, circuitBreakers, outlierDetection, endpoints,
                idleTimeout, upstreamProtocol, next, maxRequestsPerConnection, slowStart);
    }

    /** This cluster with new endpoints ramping up as {@code next} says ({@code null}: no ramp). */
    public ClusterConfig withSlowStart(SlowStart next) {
        return new ClusterConfig(name, lbPolicy, ringSize, connectTimeout, circuitBreakers, outlierDetection, endpoints,
                idleTimeout, upstreamProtocol, tls, maxRequestsPerConnection, next);
    }

    /**
     * Envoy's slow start ({@code Cluster.SlowStartConfig}, Istio's {@code loadBalancer.warmup}): for {@code window}
     * after an endpoint joins the cluster, its weight is scaled by
     * {@code max(minWeightPercent / 100, (time since it joined / window) ^ (1 / aggression))}, the time counted in
     * milliseconds and at least 1 ms. Aggression 1 ramps linearly; above 1 it ramps faster at first.
     */
    public record SlowStart(Duration window, double aggression, double minWeightPercent) {
        /** Envoy's values for unset {@code aggression} and {@code min_weight_percent}. */
        public static final double DEFAULT_AGGRESSION = 1.0;
        public static final double DEFAULT_MIN_WEIGHT_PERCENT = 10.0;

        public SlowStart {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("slow start window " + window + " (expected: more than 0)");
            }
            if (!(aggression > 0) || Double.isInfinite(aggression)) {
                throw new IllegalArgumentException("slow start aggression " + aggression
                        + " (expected: more than 0; 1 ramps linearly)");
            }
            if (!(minWeightPercent >= 0 && minWeightPercent <= 100)) {
                throw new IllegalArgumentException("slow start min weight percent " + minWeightPercent
                        + " (expected: 0..100)");
            }
        }

        /** A window with Envoy's default aggression (1) and minimum weight (10 %). */
        public SlowStart(Duration window) {
            this(window, DEFAULT_AGGRESSION, DEFAULT_MIN_WEIGHT_PERCENT);
        }

        /**
         * What an endpoint's weight is multiplied by {@code ageMillis} after it joined: 1 once the window has
         * passed (or for a negative age, which a clock stepping back can give).
         */
        public double factor(long ageMillis) {
            long windowMillis = window.toMillis();
            if (ageMillis < 0 || ageMillis >= windowMillis) {
                return 1.0;
            }
            double time = (double) Math.max(1, ageMillis) / windowMillis;
            double ramp = aggression == 1.0 ? time : Math.pow(time, 1.0 / aggression);
            return Math.max(minWeightPercent / 100.0, ramp);
        }
    }

    /** Envoy's default-priority thresholds. */
    public record CircuitBreakers(int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries) {
        public static final CircuitBreakers UNLIMITED =
                new CircuitBreakers(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * Envoy's outlier detection ({@code config.cluster.v3.OutlierDetection}): consecutive 5xx, consecutive
     * gateway failures and (with {@code splitExternalLocalOriginErrors}) consecutive local-origin failures, each
     * detected inline; success-rate and failure-percentage ejection (external and local-origin) evaluated every
     * {@code interval}. Each
     * detector ejects with its {@code enforcing*} percentage (0..100). An ejection lasts {@code baseEjectionTime}
     * × the endpoint's ejection count, at most {@code maxEjectionTime} (or the base time if that is longer).
     * Start from {@link #ENVOY_DEFAULTS} (Envoy's defaults for unset fields) and change what you need with
     * {@link #builder()}.
     */
    public record OutlierDetection(int consecutive5xx, int enforcingConsecutive5xx,
                                   int consecutiveGatewayFailure, int enforcingConsecutiveGatewayFailure,
                                   boolean splitExternalLocalOriginErrors, int consecutiveLocalOriginFailure,
                                   int enforcingConsecutiveLocalOriginFailure,
                                   int enforcingSuccessRate, int enforcingLocalOriginSuccessRate,
                                   int successRateMinimumHosts, int successRateRequestVolume,
                                   int successRateStdevFactor,
                                   int enforcingFailurePercentage, int enforcingFailurePercentageLocalOrigin,
                                   int failurePercentageMinimumHosts, int failurePercentageRequestVolume,
                                   int failurePercentageThreshold,
                                   Duration interval, Duration baseEjectionTime, Duration maxEjectionTime,
                                   int maxEjectionPercent) {
        /** Envoy's values for unset fields. */
        public static final OutlierDetection ENVOY_DEFAULTS = new OutlierDetection(5, 100, 5, 0, false, 5, 100,
                100, 100, 5, 100, 1900, 0, 0, 5, 50, 85, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(300), 10);

        public OutlierDetection {
            for (int[] v : new int[][] {{consecutive5xx}, {consecutiveGatewayFailure}, {consecutiveLocalOriginFailure},
                    {successRateMinimumHosts}, {successRateRequestVolume}, {successRateStdevFactor},
                    {failurePercentageMinimumHosts}, {failurePercentageRequestVolume}}) {
                if (v[0] < 0) {
                    throw new IllegalArgumentException("outlier detection: threshold " + v[0] + " (expected: 0 or more)");
                }
            }
            percent("enforcing_consecutive_5xx", enforcingConsecutive5xx);
            percent("enforcing_consecutive_gateway_failure", enforcingConsecutiveGatewayFailure);
            percent("enforcing_consecutive_local_origin_failure", enforcingConsecutiveLocalOriginFailure);
            percent("enforcing_success_rate", enforcingSuccessRate);
            percent("enforcing_local_origin_success_rate", enforcingLocalOriginSuccessRate);
            percent("enforcing_failure_percentage", enforcingFailurePercentage);
            percent("enforcing_failure_percentage_local_origin", enforcingFailurePercentageLocalOrigin);
            percent("failure_percentage_threshold", failurePercentageThreshold);
            percent("max_ejection_percent", maxEjectionPercent);
            positive("interval", interval);
            positive("base_ejection_time", baseEjectionTime);
            positive("max_ejection_time", maxEjectionTime);
        }

        private static void percent(String field, int value) {
            if (value < 0 || value > 100) {
                throw new IllegalArgumentException("outlier detection: " + field + " " + value + " (expected: 0..100)");
            }
        }

        private static void positive(String field, Duration value) {
            java.util.Objects.requireNonNull(value, field);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("outlier detection: " + field + " " + value + " (expected: more than 0)");
            }
        }

        /** A builder starting from {@link #ENVOY_DEFAULTS}. */
        public static Builder builder() {
            return new Builder(ENVOY_DEFAULTS);
        }

        /** Builds an {@link OutlierDetection} field by field (Envoy's field names, in camel case). */
        public static final class Builder {
            private int consecutive5xx;
            private int enforcingConsecutive5xx;
            private int consecutiveGatewayFailure;
            private int enforcingConsecutiveGatewayFailure;
            private boolean splitExternalLocalOriginErrors;
            private int consecutiveLocalOriginFailure;
            private int enforcingConsecutiveLocalOriginFailure;
            private int enforcingSuccessRate;
            private int enforcingLocalOriginSuccessRate;
            private int successRateMinimumHosts;
            private int successRateRequestVolume;
            private int successRateStdevFactor;
            private int enforcingFailurePercentage;
            private int enforcingFailurePercentageLocalOrigin;
            private int failurePercentageMinimumHosts;
            private int failurePercentageRequestVolume;
            private int failurePercentageThreshold;
            private Duration interval;
            private Duration baseEjectionTime;
            private Duration maxEjectionTime;
            private int maxEjectionPercent;

            private Builder(OutlierDetection o) {
                consecutive5xx = o.consecutive5xx;
                enforcingConsecutive5xx = o.enforcingConsecutive5xx;
                consecutiveGatewayFailure = o.consecutiveGatewayFailure;
                enforcingConsecutiveGatewayFailure = o.enforcingConsecutiveGatewayFailure;
                splitExternalLocalOriginErrors = o.splitExternalLocalOriginErrors;
                consecutiveLocalOriginFailure = o.consecutiveLocalOriginFailure;
                enforcingConsecutiveLocalOriginFailure = o.enforcingConsecutiveLocalOriginFailure;
                enforcingSuccessRate = o.enforcingSuccessRate;
                enforcingLocalOriginSuccessRate = o.enforcingLocalOriginSuccessRate;
                successRateMinimumHosts = o.successRateMinimumHosts;
                successRateRequestVolume = o.successRateRequestVolume;
                successRateStdevFactor = o.successRateStdevFactor;
                enforcingFailurePercentage = o.enforcingFailurePercentage;
                enforcingFailurePercentageLocalOrigin = o.enforcingFailurePercentageLocalOrigin;
                failurePercentageMinimumHosts = o.failurePercentageMinimumHosts;
                failurePercentageRequestVolume = o.failurePercentageRequestVolume;
                failurePercentageThreshold = o.failurePercentageThreshold;
                interval = o.interval;
                baseEjectionTime = o.baseEjectionTime;
                maxEjectionTime = o.maxEjectionTime;
                maxEjectionPercent = o.maxEjectionPercent;
            }

            public Builder consecutive5xx(int threshold, int enforcing) {
                consecutive5xx = threshold;
                enforcingConsecutive5xx = enforcing;
                return this;
            }

            public Builder consecutiveGatewayFailure(int threshold, int enforcing) {
                consecutiveGatewayFailure = threshold;
                enforcingConsecutiveGatewayFailure = enforcing;
                return this;
            }

            public Builder splitExternalLocalOriginErrors(boolean split) {
                splitExternalLocalOriginErrors = split;
                return this;
            }

            public Builder consecutiveLocalOriginFailure(int threshold, int enforcing) {
                consecutiveLocalOriginFailure = threshold;
                enforcingConsecutiveLocalOriginFailure = enforcing;
                return this;
            }

            public Builder enforcingSuccessRate(int percent) {
                enforcingSuccessRate = percent;
                return this;
            }

            public Builder enforcingLocalOriginSuccessRate(int percent) {
                enforcingLocalOriginSuccessRate = percent;
                return this;
            }

            public Builder successRate(int minimumHosts, int requestVolume, int stdevFactor) {
                successRateMinimumHosts = minimumHosts;
                successRateRequestVolume = requestVolume;
                successRateStdevFactor = stdevFactor;
                return this;
            }

            public Builder enforcingFailurePercentage(int percent) {
                enforcingFailurePercentage = percent;
                return this;
            }

            public Builder enforcingFailurePercentageLocalOrigin(int percent) {
                enforcingFailurePercentageLocalOrigin = percent;
                return this;
            }

            public Builder failurePercentage(int minimumHosts, int requestVolume, int threshold) {
                failurePercentageMinimumHosts = minimumHosts;
                failurePercentageRequestVolume = requestVolume;
                failurePercentageThreshold = threshold;
                return this;
            }

            public Builder interval(Duration d) {
                interval = d;
                return this;
            }

            public Builder baseEjectionTime(Duration d) {
                baseEjectionTime = d;
                return this;
            }

            public Builder maxEjectionTime(Duration d) {
                maxEjectionTime = d;
                return this;
            }

            public Builder maxEjectionPercent(int percent) {
                maxEjectionPercent = percent;
                return this;
            }

            public OutlierDetection build() {
                return new OutlierDetection(consecutive5xx, enforcingConsecutive5xx, consecutiveGatewayFailure,
                        enforcingConsecutiveGatewayFailure, splitExternalLocalOriginErrors, consecutiveLocalOriginFailure,
                        enforcingConsecutiveLocalOriginFailure, enforcingSuccessRate, enforcingLocalOriginSuccessRate,
                        successRateMinimumHosts, successRateRequestVolume, successRateStdevFactor,
                        enforcingFailurePercentage, enforcingFailurePercentageLocalOrigin, failurePercentageMinimumHosts,
                        failurePercentageRequestVolume, failurePercentageThreshold, interval,
                        baseEjectionTime, maxEjectionTime, maxEjectionPercent);
            }
        }
    }

    /** One endpoint: host (IP or name), port, weight (1 or more). */
    public record Endpoint(String host, int port, int weight) {
        public Endpoint {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("endpoint " + host + ": port " + port + " (expected: 1..65535)");
            }
            weight = Math.max(1, weight);
        }

        public String address() {
            return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        }
    }
}
