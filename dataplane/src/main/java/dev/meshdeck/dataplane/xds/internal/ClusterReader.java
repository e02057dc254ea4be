package dev.meshdeck.dataplane.xds.internal;

import com.google.protobuf.Any;
import dev.meshdeck.dataplane.config.TlsSettings;
import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.CircuitBreakers;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.config.ClusterConfig.LbPolicy;
import dev.meshdeck.dataplane.config.ClusterConfig.OutlierDetection;
import dev.meshdeck.dataplane.xds.XdsConfigException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A CDS {@code Cluster} into a {@link ClusterSpec}: discovery type (EDS over ADS, STATIC, STRICT_DNS,
 * LOGICAL_DNS), load balancer, connect timeout, default-priority circuit breakers and outlier detection.
 * TLS ({@code transport_socket}) is read by {@link TlsReader}.
 */
public final class ClusterReader {
    static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
    /** Envoy's default connect timeout. */
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private ClusterReader() {
    }

    public static ClusterSpec read(Cluster c) {
        String where = "cluster " + c.getName();
        if (c.getName().isEmpty()) {
            throw new XdsConfigException("cluster: empty name (expected: a name)");
        }
        TlsSettings.Upstream tls = TlsReader.upstream(c, where);
        protocolOptions(c.getTypedExtensionProtocolOptionsMap(), where);
        if (c.getHealthChecksCount() > 0 || c.hasLoadBalancingPolicy() || c.hasLbSubsetConfig()
                || c.hasUpstreamConnectionOptions() || c.hasLrsServer() || c.getFiltersCount() > 0) {
            throw new XdsConfigException(where + ": health_checks, load_balancing_policy, lb_subset_config, "
                    + "upstream_connection_options, lrs_server and filters are not supported (expected: unset)");
        }
        if (c.hasCommonLbConfig() && (c.getCommonLbConfig().hasZoneAwareLbConfig()
                || c.getCommonLbConfig().hasConsistentHashingLbConfig())) {
            throw new XdsConfigException(where + ".common_lb_config: zone_aware_lb_config and "
                    + "consistent_hashing_lb_config are not supported (expected: unset)");
        }
        LbPolicy lb = switch (c.getLbPolicy()) {
            case ROUND_ROBIN -> LbPolicy.ROUND_ROBIN;
            case LEAST_REQUEST -> LbPolicy.LEAST_REQUEST;
            case RANDOM -> LbPolicy.RANDOM;
            case RING_HASH -> LbPolicy.RING_HASH;
            case MAGLEV -> LbPolicy.MAGLEV;
            default -> throw new XdsConfigException(where + ".lb_policy: " + c.getLbPolicy()
                    + " (expected: ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH or MAGLEV)");
        };
        long ringSize = 0;
        if (lb == LbPolicy.RING_HASH && c.hasRingHashLbConfig() && c.getRingHashLbConfig().hasMinimumRingSize()) {
            ringSize = c.getRingHashLbConfig().getMinimumRingSize().getValue();
            if (ringSize < 1 || ringSize > 8_388_608) {
                throw new XdsConfigException(where + ".ring_hash_lb_config.minimum_ring_size: " + ringSize
                        + " (expected: 1..8388608)");
            }
        }
        if (lb == LbPolicy.MAGLEV && c.hasMaglevLbConfig() && c.getMaglevLbConfig().hasTableSize()) {
            ringSize = c.getMaglevLbConfig().getTableSize().getValue();
        }
        Duration connectTimeout = c.hasConnectTimeout()
                ? ProtoValues.duration(c.getConnectTimeout(), where + ".connect_timeout") : DEFAULT_CONNECT_TIMEOUT;
        if (connectTimeout.isZero()) {
            throw new XdsConfigException(where + ".connect_timeout: 0s (expected: more than 0)");
        }
        CircuitBreakers breakers = circuitBreakers(c, where);
        OutlierDetection outlier = c.hasOutlierDetection() ? outlierDetection(c.getOutlierDetection(), where) : null;

        String edsName = null;
        List<Endpoint> endpoints;
        switch (c.getClusterDiscoveryTypeCase()) {
            case TYPE -> {
                switch (c.getType()) {
                    case EDS -> {
                        var eds = c.getEdsClusterConfig();
                        if (!eds.getEdsConfig().hasAds()) {
                            throw new XdsConfigException(where + ".eds_cluster_config.eds_config: "
                                    + eds.getEdsConfig().getConfigSourceSpecifierCase() + " (expected: ads)");
                        }
                        edsName = eds.getServiceName().isEmpty() ? c.getName() : eds.getServiceName();
                        endpoints = List.of();
                    }
                    case STATIC, STRICT_DNS, LOGICAL_DNS -> {
                        if (!c.hasLoadAssignment()) {
                            throw new XdsConfigException(where + ".load_assignment: missing (expected: the endpoints of a "
                                    + c.getType() + " cluster)");
                        }
                        endpoints = EndpointReader.read(c.getLoadAssignment(), where + ".load_assignment");
                        if (c.getType() == Cluster.DiscoveryType.LOGICAL_DNS && endpoints.size() > 1) {
                            throw new XdsConfigException(where + ".load_assignment: " + endpoints.size()
                                    + " endpoints (expected: one for LOGICAL_DNS)");
                        }
                    }
                    default -> throw new XdsConfigException(where + ".type: " + c.getType()
                            + " (expected: EDS, STATIC, STRICT_DNS or LOGICAL_DNS)");
                }
            }
            case CLUSTER_TYPE -> throw new XdsConfigException(where + ".cluster_type: " + c.getClusterType().getName()
                    + " not supported (expected: type EDS, STATIC, STRICT_DNS or LOGICAL_DNS)");
            default -> throw new XdsConfigException(where + ": no discovery type (expected: EDS, STATIC, STRICT_DNS "
                    + "or LOGICAL_DNS)");
        }
        try {
            return new ClusterSpec(new ClusterConfig(c.getName(), lb, ringSize, connectTimeout, breakers, outlier,
                    endpoints, tls), edsName);
        } catch (IllegalArgumentException e) {
            throw new XdsConfigException(where + ": " + e.getMessage());
        }
    }

    /**
     * {@code HttpProtocolOptions}: the sidecar speaks upstream the protocol it was spoken to, which is
     * {@code use_downstream_protocol_config}. Pool tunings in {@code common_http_protocol_options}
     * ({@code idle_timeout}, {@code max_requests_per_connection}) are accepted; the connection pool applies
     * its own defaults.
     */
    private static void protocolOptions(Map<String, Any> options, String where) {
        for (Map.Entry<String, Any> e : options.entrySet()) {
            String f = where + ".typed_extension_protocol_options[" + e.getKey() + "]";
            if (!e.getKey().equals(HTTP_PROTOCOL_OPTIONS)) {
                throw new XdsConfigException(f + ": not supported (expected: " + HTTP_PROTOCOL_OPTIONS + ")");
            }
            HttpProtocolOptions o = ProtoValues.unpack(e.getValue(), HttpProtocolOptions.class, f);
            if (o.getUpstreamProtocolOptionsCase() != HttpProtocolOptions.UpstreamProtocolOptionsCase.USE_DOWNSTREAM_PROTOCOL_CONFIG
                    && o.getUpstreamProtocolOptionsCase() != HttpProtocolOptions.UpstreamProtocolOptionsCase.UPSTREAMPROTOCOLOPTIONS_NOT_SET) {
                throw new XdsConfigException(f + "." + o.getUpstreamProtocolOptionsCase().name().toLowerCase(java.util.Locale.ROOT)
                        + ": not supported (expected: use_downstream_protocol_config)");
            }
            if (o.getHttpFiltersCount() > 0 || o.hasUpstreamHttpProtocolOptions()) {
                throw new XdsConfigException(f + ": http_filters and upstream_http_protocol_options are not supported "
                        + "(expected: unset)");
            }
        }
    }

    private static CircuitBreakers circuitBreakers(Cluster c, String where) {
        if (!c.hasCircuitBreakers()) {
            return new CircuitBreakers(1024, 1024, 1024, 3);
        }
        CircuitBreakers result = new CircuitBreakers(1024, 1024, 1024, 3);
        for (var t : c.getCircuitBreakers().getThresholdsList()) {
            String f = where + ".circuit_breakers.thresholds[" + t.getPriority() + "]";
            if (t.getPriority() != RoutingPriority.DEFAULT) {
                throw new XdsConfigException(f + ": priority " + t.getPriority() + " not supported (expected: DEFAULT)");
            }
            if (t.hasRetryBudget() || t.hasMaxConnectionPools()) {
                throw new XdsConfigException(f + ": retry_budget and max_connection_pools are not supported "
                        + "(expected: max_connections, max_pending_requests, max_requests, max_retries)");
            }
            result = new CircuitBreakers(
                    t.hasMaxConnections() ? ProtoValues.clampedUint32(t.getMaxConnections().getValue()) : 1024,
                    t.hasMaxPendingRequests() ? ProtoValues.clampedUint32(t.getMaxPendingRequests().getValue()) : 1024,
                    t.hasMaxRequests() ? ProtoValues.clampedUint32(t.getMaxRequests().getValue()) : 1024,
                    t.hasMaxRetries() ? ProtoValues.clampedUint32(t.getMaxRetries().getValue()) : 3);
        }
        return result;
    }

    /**
     * Consecutive-5xx and consecutive-gateway-error ejection, each either enforced (100%) or off (0%), as
     * Envoy's defaults say when a field is unset. Success-rate and failure-percentage ejection are not
     * supported: setting them to anything but off is rejected.
     */
    private static OutlierDetection outlierDetection(io.envoyproxy.envoy.config.cluster.v3.OutlierDetection o, String where) {
        String f = where + ".outlier_detection";
        int enforce5xx = o.hasEnforcingConsecutive5Xx() ? o.getEnforcingConsecutive5Xx().getValue() : 100;
        int enforceGateway = o.hasEnforcingConsecutiveGatewayFailure() ? o.getEnforcingConsecutiveGatewayFailure().getValue() : 0;
        for (var e : Map.of("enforcing_consecutive_5xx", enforce5xx,
                "enforcing_consecutive_gateway_failure", enforceGateway).entrySet()) {
            if (e.getValue() != 0 && e.getValue() != 100) {
                throw new XdsConfigException(f + "." + e.getKey() + ": " + e.getValue() + " (expected: 0 or 100)");
            }
        }
        if ((o.hasEnforcingSuccessRate() && o.getEnforcingSuccessRate().getValue() != 0)
                || (o.hasEnforcingFailurePercentage() && o.getEnforcingFailurePercentage().getValue() != 0)
                || (o.hasEnforcingFailurePercentageLocalOrigin() && o.getEnforcingFailurePercentageLocalOrigin().getValue() != 0)
                || (o.hasEnforcingConsecutiveLocalOriginFailure() && o.getEnforcingConsecutiveLocalOriginFailure().getValue() != 0)
                || o.getSplitExternalLocalOriginErrors()) {
            throw new XdsConfigException(f + ": success-rate, failure-percentage and local-origin ejection are not "
                    + "supported (expected: their enforcing_* fields 0)");
        }
        int consecutive5xx = enforce5xx == 0 ? 0 : o.hasConsecutive5Xx() ? o.getConsecutive5Xx().getValue() : 5;
        int consecutiveGateway = enforceGateway == 0 ? 0
                : o.hasConsecutiveGatewayFailure() ? o.getConsecutiveGatewayFailure().getValue() : 5;
        Duration interval = o.hasInterval() ? ProtoValues.duration(o.getInterval(), f + ".interval") : Duration.ofSeconds(10);
        Duration base = o.hasBaseEjectionTime()
                ? ProtoValues.duration(o.getBaseEjectionTime(), f + ".base_ejection_time") : Duration.ofSeconds(30);
        int maxPercent = o.hasMaxEjectionPercent() ? o.getMaxEjectionPercent().getValue() : 10;
        if (maxPercent > 100) {
            throw new XdsConfigException(f + ".max_ejection_percent: " + maxPercent + " (expected: 0..100)");
        }
        return new OutlierDetection(consecutive5xx, consecutiveGateway, interval, base, maxPercent);
    }
}
