package dev.meshdeck.controller.translate.internal;

import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import dev.meshdeck.controller.config.DestinationRule;
import dev.meshdeck.controller.config.DestinationRule.ConnectionPool;
import dev.meshdeck.controller.config.DestinationRule.ConsistentHash;
import dev.meshdeck.controller.config.DestinationRule.LoadBalancer;
import dev.meshdeck.controller.config.DestinationRule.OutlierDetection;
import dev.meshdeck.controller.config.DestinationRule.TrafficPolicy;
import dev.meshdeck.controller.config.DestinationRule.Warmup;
import dev.meshdeck.controller.translate.XdsNames;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.config.core.v3.RuntimeDouble;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.type.v3.Percent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CDS: for each service, port and DestinationRule subset an {@code outbound|port|subset|host} cluster
 * with the rule's policy (the subset's parts over the rule's); and the sidecar's {@code inbound|port||}.
 */
final class ClusterFactory {
    static final long CONNECT_TIMEOUT_SECONDS = 10;
    static final long DEFAULT_MINIMUM_RING_SIZE = 1024;
    /** The runtime key of a slow start's aggression: Envoy requires one; nothing sets it. */
    static final String WARMUP_AGGRESSION_RUNTIME_KEY = "meshdeck.warmup.aggression";
    /** Istio's circuit-breaker defaults: no limit unless the rule sets one (Envoy's own default is 1024). */
    private static final UInt32Value UNLIMITED = UInt32Value.of(-1);

    private final Client client;

    ClusterFactory(Client client) {
        this.client = client;
    }

    /** Every outbound cluster of {@code s}; for grpc-xds, without those whose TLS it cannot do. */
    List<Cluster> outbound(MeshService s) {
        List<Cluster> out = new ArrayList<>();
        List<String> subsets = new ArrayList<>();
        subsets.add(null);
        if (s.rule() != null) {
            s.rule().subsets().forEach(sub -> subsets.add(sub.name()));
        }
        for (int port : s.ports()) {
            for (String subset : subsets) {
                TrafficPolicy policy = s.policy(subset);
                if (TlsContexts.supported(policy.tls(), client)) {
                    out.add(outbound(s, port, subset, policy));
                }
            }
        }
        return out;
    }

    private Cluster outbound(MeshService s, int port, String subset, TrafficPolicy policy) {
        String name = XdsNames.outboundCluster(port, subset, s.host());
        Cluster.Builder c = Cluster.newBuilder().setName(name);
        ConnectionPool pool = policy.connectionPool();
        c.setConnectTimeout(pool != null && pool.tcp() != null && pool.tcp().connectTimeout() != null
                ? Protos.duration(pool.tcp().connectTimeout()) : Protos.seconds(CONNECT_TIMEOUT_SECONDS));
        discovery(c, s, port, subset);
        loadBalancer(c, policy.loadBalancer());
        c.setCircuitBreakers(circuitBreakers(pool));
        var protocol = protocolOptions(pool);
        if (client == Client.ENVOY) {
            c.putTypedExtensionProtocolOptions(XdsNames.HTTP_PROTOCOL_OPTIONS, Protos.any(protocol));
        }
        if (policy.outlierDetection() != null) {
            outlierDetection(c, policy.outlierDetection());
        }
        TlsContexts.upstream(policy.tls(), client, XdsNames.outboundSni(port, subset, s.host()), s.identities(),
                        alpn(protocol))
                .ifPresent(c::setTransportSocket);
        if (s.rule() != null) {
            c.setMetadata(Protos.origin("destination-rule", s.rule().metadata().namespace(), s.rule().metadata().name()));
        }
        return c.build();
    }

    /** The sidecar's cluster for its local app, on loopback. */
    static Cluster inbound(int appPort) {
        String name = XdsNames.inboundCluster(appPort);
        return Cluster.newBuilder()
                .setName(name)
                .setType(Cluster.DiscoveryType.STATIC)
                .setConnectTimeout(Protos.seconds(CONNECT_TIMEOUT_SECONDS))
                .setLoadAssignment(EndpointFactory.assignment(name,
                        List.of(new MeshService.Endpoint("127.0.0.1", appPort, Map.of(), 1, ""))))
                .putTypedExtensionProtocolOptions(XdsNames.HTTP_PROTOCOL_OPTIONS, Protos.any(protocolOptions(null)))
                .build();
    }

    /**
     * EDS over ADS; a DNS ServiceEntry's host names go inline instead, since Envoy resolves only inline
     * endpoints itself: STRICT_DNS for {@code DNS}, LOGICAL_DNS (one name) for {@code DNS_ROUND_ROBIN} and
     * for grpc-xds, which has no STRICT_DNS.
     */
    private void discovery(Cluster.Builder c, MeshService s, int port, String subset) {
        if (s.discovery() == MeshService.Discovery.EDS) {
            c.setType(Cluster.DiscoveryType.EDS);
            c.getEdsClusterConfigBuilder().setEdsConfig(Protos.ADS).setServiceName(c.getName());
            return;
        }
        DestinationRule.Subset sub = s.subset(subset);
        List<MeshService.Endpoint> eps = s.endpoints(port, sub == null ? Map.of() : sub.labels());
        boolean logical = s.discovery() == MeshService.Discovery.LOGICAL_DNS || client == Client.GRPC;
        if (logical && eps.size() > 1) {
            eps = eps.subList(0, 1);
        }
        ClusterLoadAssignment cla = EndpointFactory.assignment(c.getName(), eps);
        c.setType(logical ? Cluster.DiscoveryType.LOGICAL_DNS : Cluster.DiscoveryType.STRICT_DNS)
                .setDnsLookupFamily(Cluster.DnsLookupFamily.V4_ONLY)
                .setLoadAssignment(cla);
    }

    private void loadBalancer(Cluster.Builder c, LoadBalancer lb) {
        if (lb == null) {
            return;
        }
        ConsistentHash hash = lb.consistentHash();
        if (hash != null) {
            if (hash.maglev() && client == Client.ENVOY) {
                c.setLbPolicy(Cluster.LbPolicy.MAGLEV);
            } else {
                c.setLbPolicy(Cluster.LbPolicy.RING_HASH);
                c.getRingHashLbConfigBuilder().setMinimumRingSize(UInt64Value.of(
                        hash.minimumRingSize() != null ? hash.minimumRingSize() : DEFAULT_MINIMUM_RING_SIZE));
            }
            return;
        }
        if (lb.simple() == null && lb.warmup() == null) {
            return;
        }
        // grpc-xds has no slow start: a proxyless client balances over every endpoint at full weight at once.
        Cluster.SlowStartConfig slowStart = lb.warmup() != null && client == Client.ENVOY
                ? slowStart(lb.warmup()) : null;
        switch (lb.simple() != null ? lb.simple() : LoadBalancer.Simple.UNSPECIFIED) {
            case LEAST_REQUEST -> {
                c.setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST);
                if (slowStart != null) {
                    c.getLeastRequestLbConfigBuilder().setSlowStartConfig(slowStart);
                }
            }
            case RANDOM -> c.setLbPolicy(client == Client.ENVOY ? Cluster.LbPolicy.RANDOM : Cluster.LbPolicy.ROUND_ROBIN);
            case UNSPECIFIED, ROUND_ROBIN -> {
                c.setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
                if (slowStart != null) {
                    c.getRoundRobinLbConfigBuilder().setSlowStartConfig(slowStart);
                }
            }
            case PASSTHROUGH -> c.setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
        }
    }

    /**
     * Istio's warm-up as Envoy's slow start. All three fields are written, Istio's defaults included, so that
     * a reader need not know them; Envoy requires a runtime key for the aggression, which the sidecar ignores.
     */
    private static Cluster.SlowStartConfig slowStart(Warmup w) {
        return Cluster.SlowStartConfig.newBuilder()
                .setSlowStartWindow(Protos.duration(w.duration()))
                .setAggression(RuntimeDouble.newBuilder()
                        .setDefaultValue(w.aggression())
                        .setRuntimeKey(WARMUP_AGGRESSION_RUNTIME_KEY))
                .setMinWeightPercent(Percent.newBuilder().setValue(w.minimumPercent()))
                .build();
    }

    private static CircuitBreakers circuitBreakers(ConnectionPool pool) {
        CircuitBreakers.Thresholds.Builder t = CircuitBreakers.Thresholds.newBuilder()
                .setPriority(RoutingPriority.DEFAULT)
                .setMaxConnections(UNLIMITED)
                .setMaxPendingRequests(UNLIMITED)
                .setMaxRequests(UNLIMITED)
                .setMaxRetries(UNLIMITED)
                .setTrackRemaining(true);
        if (pool != null && pool.tcp() != null && pool.tcp().maxConnections() != null) {
            t.setMaxConnections(UInt32Value.of(pool.tcp().maxConnections()));
        }
        if (pool != null && pool.http() != null) {
            ConnectionPool.Http h = pool.http();
            if (h.http1MaxPendingRequests() != null) {
                t.setMaxPendingRequests(UInt32Value.of(h.http1MaxPendingRequests()));
            }
            if (h.http2MaxRequests() != null) {
                t.setMaxRequests(UInt32Value.of(h.http2MaxRequests()));
            }
            if (h.maxRetries() != null) {
                t.setMaxRetries(UInt32Value.of(h.maxRetries()));
            }
        }
        return CircuitBreakers.newBuilder().addThresholds(t).build();
    }

    /**
     * Upstream HTTP options: the protocol the downstream spoke (HTTP/1.1 or HTTP/2, so gRPC passes
     * through), and the rule's per-connection request limit, idle timeout and stream limit.
     */
    private static io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions protocolOptions(ConnectionPool pool) {
        var options = io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.newBuilder();
        Http2ProtocolOptions.Builder h2 = Http2ProtocolOptions.newBuilder();
        ConnectionPool.Http h = pool == null ? null : pool.http();
        if (h != null) {
            HttpProtocolOptions.Builder common = HttpProtocolOptions.newBuilder();
            if (h.idleTimeout() != null) {
                common.setIdleTimeout(Protos.duration(h.idleTimeout()));
            }
            if (h.maxRequestsPerConnection() != null) {
                common.setMaxRequestsPerConnection(UInt32Value.of(h.maxRequestsPerConnection()));
            }
            if (h.idleTimeout() != null || h.maxRequestsPerConnection() != null) {
                options.setCommonHttpProtocolOptions(common);
            }
            if (h.maxConcurrentStreams() != null) {
                h2.setMaxConcurrentStreams(UInt32Value.of(h.maxConcurrentStreams()));
            }
        }
        options.getUseDownstreamProtocolConfigBuilder()
                .setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance())
                .setHttp2ProtocolOptions(h2);
        return options.build();
    }

    /**
     * Istio's mapping: each consecutive-error kind that is set is enforced at 100% (0 turns it off);
     * success-rate ejection, which Envoy enables by default, is turned off; {@code minHealthPercent} is
     * the panic threshold.
     */
    private static void outlierDetection(Cluster.Builder c, OutlierDetection od) {
        var o = c.getOutlierDetectionBuilder();
        if (od.consecutive5xxErrors() != null) {
            o.setConsecutive5Xx(UInt32Value.of(od.consecutive5xxErrors()));
            o.setEnforcingConsecutive5Xx(UInt32Value.of(od.consecutive5xxErrors() > 0 ? 100 : 0));
        } else if (od.consecutiveGatewayErrors() != null) {
            o.setEnforcingConsecutive5Xx(UInt32Value.of(0));
        }
        if (od.consecutiveGatewayErrors() != null) {
            o.setConsecutiveGatewayFailure(UInt32Value.of(od.consecutiveGatewayErrors()));
            o.setEnforcingConsecutiveGatewayFailure(UInt32Value.of(od.consecutiveGatewayErrors() > 0 ? 100 : 0));
        }
        if (od.interval() != null) {
            o.setInterval(Protos.duration(od.interval()));
        }
        if (od.baseEjectionTime() != null) {
            o.setBaseEjectionTime(Protos.duration(od.baseEjectionTime()));
        }
        if (od.maxEjectionPercent() != null) {
            o.setMaxEjectionPercent(UInt32Value.of(od.maxEjectionPercent()));
        }
        o.setEnforcingSuccessRate(UInt32Value.of(0));
        if (od.minHealthPercent() != null) {
            c.getCommonLbConfigBuilder().setHealthyPanicThreshold(Percent.newBuilder().setValue(od.minHealthPercent()));
        }
    }

    /**
     * The protocols a TLS cluster offers by ALPN: an explicit HTTP/2 or HTTP/1.1 cluster its own; one that follows
     * the downstream protocol both, so that the client can keep the request's protocol (gRPC stays on h2).
     */
    private static List<String> alpn(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions protocol) {
        if (protocol.hasExplicitHttpConfig()) {
            return protocol.getExplicitHttpConfig().hasHttp2ProtocolOptions()
                    ? List.of(XdsNames.ALPN_H2) : List.of(XdsNames.ALPN_HTTP11);
        }
        return List.of(XdsNames.ALPN_H2, XdsNames.ALPN_HTTP11);
    }
}
