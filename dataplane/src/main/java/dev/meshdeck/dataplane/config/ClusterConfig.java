package dev.meshdeck.dataplane.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A cluster (CDS + its EDS): how to balance over its endpoints, how many connections and requests it
 * may have, when to eject a failing endpoint, the endpoints themselves, and TLS ({@code tls}: the
 * cluster's {@code UpstreamTlsContext}; null for plain text).
 */
public record ClusterConfig(String name, LbPolicy lbPolicy, long ringSize, Duration connectTimeout,
                            CircuitBreakers circuitBreakers, OutlierDetection outlierDetection,
                            List<Endpoint> endpoints, TlsSettings.Upstream tls) {
    public enum LbPolicy { ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH, MAGLEV }

    public ClusterConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lbPolicy, "lbPolicy");
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        circuitBreakers = circuitBreakers == null ? CircuitBreakers.UNLIMITED : circuitBreakers;
        endpoints = List.copyOf(endpoints);
        if (ringSize <= 0) {
            ringSize = 1024;
        }
    }

    /** A plain-text cluster. */
    public ClusterConfig(String name, LbPolicy lbPolicy, long ringSize, Duration connectTimeout,
                         CircuitBreakers circuitBreakers, OutlierDetection outlierDetection, List<Endpoint> endpoints) {
        this(name, lbPolicy, ringSize, connectTimeout, circuitBreakers, outlierDetection, endpoints, null);
    }

    /** This cluster with other endpoints (an EDS update). */
    public ClusterConfig withEndpoints(List<Endpoint> next) {
        return new ClusterConfig(name, lbPolicy, ringSize, connectTimeout, circuitBreakers, outlierDetection, next, tls);
    }

    /** This cluster with TLS ({@code null}: plain text). */
    public ClusterConfig withTls(TlsSettings.Upstream next) {
        return new ClusterConfig(name, lbPolicy, ringSize, connectTimeout, circuitBreakers, outlierDetection, endpoints,
                next);
    }

    /** Envoy's default-priority thresholds. */
    public record CircuitBreakers(int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries) {
        public static final CircuitBreakers UNLIMITED =
                new CircuitBreakers(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /** When to eject an endpoint: after {@code consecutive5xx} failures, for {@code baseEjectionTime} × times ejected. */
    public record OutlierDetection(int consecutive5xx, int consecutiveGatewayErrors, Duration interval,
                                   Duration baseEjectionTime, int maxEjectionPercent) {
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
