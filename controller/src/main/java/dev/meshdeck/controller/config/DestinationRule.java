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

    /** Either {@code simple} or {@code consistentHash} is set. {@code LEAST_CONN} is read as LEAST_REQUEST. */
    public record LoadBalancer(Simple simple, ConsistentHash consistentHash) {
        public enum Simple { UNSPECIFIED, ROUND_ROBIN, LEAST_REQUEST, RANDOM, PASSTHROUGH }
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
