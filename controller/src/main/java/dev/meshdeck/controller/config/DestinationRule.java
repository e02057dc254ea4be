package dev.meshdeck.controller.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Istio's {@code DestinationRule}: policies for traffic to a host once routing is done, and its subsets. */
public record DestinationRule(Metadata metadata, Source source, String host, TrafficPolicy trafficPolicy,
                              List<Subset> subsets) implements MeshResource {

    public DestinationRule {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(host, "host");
        source = source == null ? Source.UNKNOWN : source;
        trafficPolicy = trafficPolicy == null ? TrafficPolicy.DEFAULT : trafficPolicy;
        subsets = List.copyOf(subsets == null ? List.of() : subsets);
    }

    @Override
    public Kind kind() {
        return Kind.DESTINATION_RULE;
    }

    /** A named group of the host's endpoints, chosen by labels, with an optional policy of its own. */
    public record Subset(String name, Map<String, String> labels, TrafficPolicy trafficPolicy) {
        public Subset {
            Objects.requireNonNull(name, "name");
            labels = Map.copyOf(labels == null ? Map.of() : labels);
        }
    }

    /** Every part is {@code null} when not written. */
    public record TrafficPolicy(LoadBalancer loadBalancer, ConnectionPool connectionPool,
                                OutlierDetection outlierDetection, Tls tls) {
        public static final TrafficPolicy DEFAULT = new TrafficPolicy(null, null, null, null);

        /** This policy with the parts {@code override} writes replaced (Istio merges subset policies so). */
        public TrafficPolicy overriddenBy(TrafficPolicy override) {
            if (override == null) {
                return this;
            }
            return new TrafficPolicy(
                    override.loadBalancer != null ? override.loadBalancer : loadBalancer,
                    override.connectionPool != null ? override.connectionPool : connectionPool,
                    override.outlierDetection != null ? override.outlierDetection : outlierDetection,
                    override.tls != null ? override.tls : tls);
        }
    }

    /**
     * Istio's {@code LoadBalancerSettings}: at most one of {@code simple} and {@code consistentHash}, and an
     * optional {@code warmup}; a rule may write only a warm-up, which warms up the default, round robin. A
     * warm-up goes with ROUND_ROBIN, LEAST_REQUEST, UNSPECIFIED or no {@code simple} (Envoy has slow start
     * for those only). {@code LEAST_CONN} is read as LEAST_REQUEST.
     */
    public record LoadBalancer(Simple simple, ConsistentHash consistentHash, Warmup warmup) {
        public enum Simple { UNSPECIFIED, ROUND_ROBIN, LEAST_REQUEST, RANDOM, PASSTHROUGH }

        /** A balancer without warm-up. */
        public LoadBalancer(Simple simple, ConsistentHash consistentHash) {
            this(simple, consistentHash, null);
        }
    }

    /**
     * Istio's {@code WarmupConfiguration} (or the deprecated {@code warmupDurationSecs}, read as a warm-up of
     * that duration with the defaults): Envoy's {@code slow_start_config}. While an endpoint is younger than
     * {@code duration}, its weight is multiplied by
     * {@code max(minimumPercent / 100, (time since the endpoint joined / duration) ^ (1 / aggression))}, so a
     * new endpoint gets a small share of the requests at first and its full share once {@code duration} has
     * passed; an aggression above 1 ramps up faster at the start, below 1 slower.
     *
     * @param duration       how long a new endpoint warms up; more than 0
     * @param minimumPercent the least share of its weight an endpoint gets while warming up, 0..100 (Istio's
     *                       default 10)
     * @param aggression     the curve of the ramp; more than 0 (Istio's default 1.0, a linear ramp)
     */
    public record Warmup(Duration duration, double minimumPercent, double aggression) {
        public static final double DEFAULT_MINIMUM_PERCENT = 10;
        public static final double DEFAULT_AGGRESSION = 1.0;

        public Warmup {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration: " + duration + " (expected: more than 0)");
            }
            if (!(minimumPercent >= 0 && minimumPercent <= 100)) {
                throw new IllegalArgumentException("minimumPercent: " + minimumPercent + " (expected: 0..100)");
            }
            if (!(aggression > 0 && Double.isFinite(aggression))) {
                throw new IllegalArgumentException("aggression: " + aggression + " (expected: a finite number"
                        + " more than 0)");
            }
        }

        /** A warm-up of {@code duration} with Istio's defaults (what {@code warmupDurationSecs} means). */
        public static Warmup of(Duration duration) {
            return new Warmup(duration, DEFAULT_MINIMUM_PERCENT, DEFAULT_AGGRESSION);
        }
    }

    /**
     * Istio's {@code ConsistentHashLB}: exactly one hash key; a ring hash with {@code minimumRingSize}
     * (Istio's default 1024), or Maglev when {@code maglev} is true.
     */
    public record ConsistentHash(String httpHeaderName, HttpCookie httpCookie, boolean useSourceIp,
                                 String httpQueryParameterName, Long minimumRingSize, boolean maglev) {
        public record HttpCookie(String name, String path, Duration ttl) {
            public HttpCookie {
                Objects.requireNonNull(name, "name");
            }
        }
    }

    /** Istio's {@code ConnectionPoolSettings}; each part is {@code null} when not written. */
    public record ConnectionPool(Tcp tcp, Http http) {
        public record Tcp(Integer maxConnections, Duration connectTimeout) {
        }

        public record Http(Integer http1MaxPendingRequests, Integer http2MaxRequests,
                           Integer maxRequestsPerConnection, Integer maxRetries, Duration idleTimeout,
                           Integer maxConcurrentStreams) {
        }
    }

    /**
     * Istio's {@code OutlierDetection}. The deprecated {@code consecutiveErrors} is read as
     * {@code consecutive5xxErrors}, as Istio does.
     */
    public record OutlierDetection(Integer consecutive5xxErrors, Integer consecutiveGatewayErrors,
                                   Duration interval, Duration baseEjectionTime, Integer maxEjectionPercent,
                                   Integer minHealthPercent) {
    }

    /** Istio's {@code ClientTLSSettings}. */
    public record Tls(Mode mode, String clientCertificate, String privateKey, String caCertificates,
                      List<String> subjectAltNames, String sni, boolean insecureSkipVerify) {
        public enum Mode { DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL }

        public Tls {
            Objects.requireNonNull(mode, "mode");
            subjectAltNames = List.copyOf(subjectAltNames == null ? List.of() : subjectAltNames);
        }
    }
}
