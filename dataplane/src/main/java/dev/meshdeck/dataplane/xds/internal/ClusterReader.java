package dev.meshdeck.dataplane.xds.internal;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.CircuitBreakers;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.config.ClusterConfig.LbPolicy;
import dev.meshdeck.dataplane.config.ClusterConfig.OutlierDetection;
import dev.meshdeck.dataplane.config.TlsSettings;
import dev.meshdeck.dataplane.xds.XdsConfigException;
import dev.meshdeck.dataplane.xds.proto.envoy.config.cluster.v3.Cluster;
import dev.meshdeck.dataplane.xds.proto.envoy.config.core.v3.RoutingPriority;
import dev.meshdeck.dataplane.xds.proto.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import dev.meshdeck.dataplane.xds.proto.google.protobuf.Any;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A CDS {@code Cluster} into a {@link ClusterSpec}: discovery type (EDS over ADS, STATIC, STRICT_DNS,
 * LOGICAL_DNS), load balancer, connect timeout, default-priority circuit breakers and outlier detection.
 * TLS ({@code transport_socket}) is read by {@link TlsReader}.
 */
public final class ClusterReader {
    static final String HTTP_PROTOCOL_OPTIONS = TypeNames.HTTP_PROTOCOL_OPTIONS;
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
        HttpProtocolOptions httpOptions = protocolOptions(c.getTypedExtensionProtocolOptionsMap(), where);
        Duration idleTimeout = httpOptions.getCommonHttpProtocolOptions().hasIdleTimeout()
                ? ProtoValues.duration(httpOptions.getCommonHttpProtocolOptions().getIdleTimeout(), where
                        + ".typed_extension_protocol_options[" + HTTP_PROTOCOL_OPTIONS + "].common_http_protocol_options.idle_timeout")
                : null;
        ClusterConfig.UpstreamProtocol upstreamProtocol = !httpOptions.hasExplicitHttpConfig()
                ? ClusterConfig.UpstreamProtocol.USE_DOWNSTREAM
                : httpOptions.getExplicitHttpConfig().hasHttp2ProtocolOptions()
                        ? ClusterConfig.UpstreamProtocol.HTTP2 : ClusterConfig.UpstreamProtocol.HTTP1;
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
        ClusterConfig.SlowStart slowStart = slowStart(c, lb, where);
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
                    endpoints, idleTimeout, upstreamProtocol, tls,
                    httpOptions.getCommonHttpProtocolOptions().hasMaxRequestsPerConnection()
                            ? httpOptions.getCommonHttpProtocolOptions().getMaxRequestsPerConnection().getValue() : 0,
                    slowStart), edsName);
        } catch (IllegalArgumentException e) {
            throw new XdsConfigException(where + ": " + e.getMessage());
        }
    }

    /**
     * The slow start of {@code round_robin_lb_config} or {@code least_request_lb_config}, whichever matches the
     * policy (null without one, or without a window: Envoy's slow start is off then). Of least request's other
     * fields, {@code choice_count} must be 2 and {@code active_request_bias} 1, the balancer's fixed values. The
     * runtime keys of {@code aggression} are not looked up: the sidecar has no runtime, so the default values apply.
     */
    private static ClusterConfig.SlowStart slowStart(Cluster c, LbPolicy lb, String where) {
        Cluster.SlowStartConfig config;
        String field;
        switch (c.getLbConfigCase()) {
            case ROUND_ROBIN_LB_CONFIG -> {
                field = where + ".round_robin_lb_config";
                config = c.getRoundRobinLbConfig().getSlowStartConfig();
                requirePolicy(lb, LbPolicy.ROUND_ROBIN, field);
            }
            case LEAST_REQUEST_LB_CONFIG -> {
                field = where + ".least_request_lb_config";
                Cluster.LeastRequestLbConfig lr = c.getLeastRequestLbConfig();
                requirePolicy(lb, LbPolicy.LEAST_REQUEST, field);
                if (lr.hasChoiceCount() && lr.getChoiceCount().getValue() != 2) {
                    throw new XdsConfigException(field + ".choice_count: " + lr.getChoiceCount().getValue()
                            + " not supported (expected: 2, the power of two choices)");
                }
                if (lr.hasActiveRequestBias() && lr.getActiveRequestBias().getDefaultValue() != 1.0) {
                    throw new XdsConfigException(field + ".active_request_bias: "
                            + lr.getActiveRequestBias().getDefaultValue() + " not supported (expected: 1.0)");
                }
                config = lr.getSlowStartConfig();
            }
            case ORIGINAL_DST_LB_CONFIG -> throw new XdsConfigException(where
                    + ".original_dst_lb_config: not supported (expected: unset)");
            default -> {
                return null;
            }
        }
        if (!config.hasSlowStartWindow()) {
            return null;
        }
        field += ".slow_start_config";
        Duration window = ProtoValues.duration(config.getSlowStartWindow(), field + ".slow_start_window");
        if (window.isZero()) {
            return null;
        }
        double aggression = config.hasAggression() ? config.getAggression().getDefaultValue()
                : ClusterConfig.SlowStart.DEFAULT_AGGRESSION;
        if (!(aggression > 0) || Double.isInfinite(aggression)) {
            throw new XdsConfigException(field + ".aggression.default_value: " + aggression
                    + " (expected: more than 0; 1 ramps linearly)");
        }
        double minWeightPercent = config.hasMinWeightPercent() ? config.getMinWeightPercent().getValue()
                : ClusterConfig.SlowStart.DEFAULT_MIN_WEIGHT_PERCENT;
        if (!(minWeightPercent >= 0 && minWeightPercent <= 100)) {
            throw new XdsConfigException(field + ".min_weight_percent.value: " + minWeightPercent
                    + " (expected: 0..100)");
        }
        return new ClusterConfig.SlowStart(window, aggression, minWeightPercent);
    }

    private static void requirePolicy(LbPolicy lb, LbPolicy expected, String field) {
        if (lb != expected) {
            throw new XdsConfigException(field + ": set with lb_policy " + lb + " (expected: lb_policy " + expected + ")");
        }
    }

    /**
     * {@code HttpProtocolOptions} (the default instance when there is none): {@code use_downstream_protocol_config}
     * or {@code explicit_http_config} with HTTP/1.1 or HTTP/2 (h2c) options. Of {@code common_http_protocol_options}
     * the pools apply {@code idle_timeout} and {@code max_requests_per_connection}.
     */
    private static HttpProtocolOptions protocolOptions(Map<String, Any> options, String where) {
        HttpProtocolOptions result = HttpProtocolOptions.getDefaultInstance();
        for (Map.Entry<String, Any> e : options.entrySet()) {
            String f = where + ".typed_extension_protocol_options[" + e.getKey() + "]";
            if (!e.getKey().equals(HTTP_PROTOCOL_OPTIONS)) {
                throw new XdsConfigException(f + ": not supported (expected: " + HTTP_PROTOCOL_OPTIONS + ")");
            }
            HttpProtocolOptions o = ProtoValues.unpack(e.getValue(), HTTP_PROTOCOL_OPTIONS, HttpProtocolOptions.parser(), f);
            if (o.getUpstreamProtocolOptionsCase() == HttpProtocolOptions.UpstreamProtocolOptionsCase.AUTO_CONFIG
                    || (o.hasExplicitHttpConfig() && o.getExplicitHttpConfig().hasHttp3ProtocolOptions())) {
                throw new XdsConfigException(f + "." + o.getUpstreamProtocolOptionsCase().name().toLowerCase(java.util.Locale.ROOT)
                        + ": not supported (expected: use_downstream_protocol_config, or explicit_http_config with "
                        + "http_protocol_options or http2_protocol_options)");
            }
            if (o.getHttpFiltersCount() > 0 || o.hasUpstreamHttpProtocolOptions()) {
                throw new XdsConfigException(f + ": http_filters and upstream_http_protocol_options are not supported "
                        + "(expected: unset)");
            }
            result = o;
        }
        return result;
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
     * Envoy's outlier detection: consecutive 5xx / gateway / local-origin failures, success rate (external and
     * local-origin), failure percentage (external and local-origin), ejection times and the ejection cap, with
     * Envoy's defaults for unset fields.
     */
    private static OutlierDetection outlierDetection(dev.meshdeck.dataplane.xds.proto.envoy.config.cluster.v3.OutlierDetection o, String where) {
        String f = where + ".outlier_detection";
        OutlierDetection d = OutlierDetection.ENVOY_DEFAULTS;
        var b = OutlierDetection.builder()
                .consecutive5xx(o.hasConsecutive5Xx() ? o.getConsecutive5Xx().getValue() : d.consecutive5xx(),
                        o.hasEnforcingConsecutive5Xx() ? o.getEnforcingConsecutive5Xx().getValue() : d.enforcingConsecutive5xx())
                .consecutiveGatewayFailure(o.hasConsecutiveGatewayFailure() ? o.getConsecutiveGatewayFailure().getValue()
                                : d.consecutiveGatewayFailure(),
                        o.hasEnforcingConsecutiveGatewayFailure() ? o.getEnforcingConsecutiveGatewayFailure().getValue()
                                : d.enforcingConsecutiveGatewayFailure())
                .splitExternalLocalOriginErrors(o.getSplitExternalLocalOriginErrors())
                .consecutiveLocalOriginFailure(o.hasConsecutiveLocalOriginFailure()
                                ? o.getConsecutiveLocalOriginFailure().getValue() : d.consecutiveLocalOriginFailure(),
                        o.hasEnforcingConsecutiveLocalOriginFailure()
                                ? o.getEnforcingConsecutiveLocalOriginFailure().getValue() : d.enforcingConsecutiveLocalOriginFailure())
                .enforcingSuccessRate(o.hasEnforcingSuccessRate() ? o.getEnforcingSuccessRate().getValue() : d.enforcingSuccessRate())
                .enforcingLocalOriginSuccessRate(o.hasEnforcingLocalOriginSuccessRate()
                        ? o.getEnforcingLocalOriginSuccessRate().getValue() : d.enforcingLocalOriginSuccessRate())
                .successRate(o.hasSuccessRateMinimumHosts() ? o.getSuccessRateMinimumHosts().getValue() : d.successRateMinimumHosts(),
                        o.hasSuccessRateRequestVolume() ? o.getSuccessRateRequestVolume().getValue() : d.successRateRequestVolume(),
                        o.hasSuccessRateStdevFactor() ? o.getSuccessRateStdevFactor().getValue() : d.successRateStdevFactor())
                .enforcingFailurePercentage(o.hasEnforcingFailurePercentage()
                        ? o.getEnforcingFailurePercentage().getValue() : d.enforcingFailurePercentage())
                .enforcingFailurePercentageLocalOrigin(o.hasEnforcingFailurePercentageLocalOrigin()
                        ? o.getEnforcingFailurePercentageLocalOrigin().getValue() : d.enforcingFailurePercentageLocalOrigin())
                .failurePercentage(o.hasFailurePercentageMinimumHosts()
                                ? o.getFailurePercentageMinimumHosts().getValue() : d.failurePercentageMinimumHosts(),
                        o.hasFailurePercentageRequestVolume()
                                ? o.getFailurePercentageRequestVolume().getValue() : d.failurePercentageRequestVolume(),
                        o.hasFailurePercentageThreshold()
                                ? o.getFailurePercentageThreshold().getValue() : d.failurePercentageThreshold())
                .maxEjectionPercent(o.hasMaxEjectionPercent() ? o.getMaxEjectionPercent().getValue() : d.maxEjectionPercent());
        if (o.hasInterval()) {
            b.interval(ProtoValues.duration(o.getInterval(), f + ".interval"));
        }
        if (o.hasBaseEjectionTime()) {
            b.baseEjectionTime(ProtoValues.duration(o.getBaseEjectionTime(), f + ".base_ejection_time"));
        }
        if (o.hasMaxEjectionTime()) {
            b.maxEjectionTime(ProtoValues.duration(o.getMaxEjectionTime(), f + ".max_ejection_time"));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new XdsConfigException(f + ": " + e.getMessage());
        }
    }
}
