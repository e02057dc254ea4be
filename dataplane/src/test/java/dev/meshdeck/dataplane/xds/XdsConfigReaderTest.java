package dev.meshdeck.dataplane.xds;

import static dev.meshdeck.dataplane.xds.XdsFixtures.V1;
import static dev.meshdeck.dataplane.xds.XdsFixtures.V2;
import static dev.meshdeck.dataplane.xds.XdsFixtures.assignment;
import static dev.meshdeck.dataplane.xds.XdsFixtures.edsCluster;
import static dev.meshdeck.dataplane.xds.XdsFixtures.endpoint;
import static dev.meshdeck.dataplane.xds.XdsFixtures.outboundListener;
import static dev.meshdeck.dataplane.xds.XdsFixtures.route;
import static dev.meshdeck.dataplane.xds.XdsFixtures.routes;
import static dev.meshdeck.dataplane.xds.XdsFixtures.router;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Empty;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ProxyConfig;
import dev.meshdeck.dataplane.config.Route;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.RuntimeDouble;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.envoyproxy.envoy.type.v3.Percent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reader's happy paths field by field, and its "bad config" suite. */
class XdsConfigReaderTest {
    private static ProxyConfig read(RouteConfiguration rc, Cluster... extra) {
        List<Cluster> clusters = new java.util.ArrayList<>(List.of(edsCluster(V1), edsCluster(V2)));
        clusters.addAll(List.of(extra));
        return XdsConfigReader.read(Lite.state(List.of(outboundListener()), List.of(rc), clusters,
                List.of(assignment(V1, "127.0.0.1", 1001), assignment(V2, "127.0.0.1", 1002))), Map.of());
    }

    private static void validate(XdsType type, List<? extends com.google.protobuf.Message> resources) {
        XdsConfigReader.validate(type, Lite.of(type, resources));
    }

    private static Route only(ProxyConfig config) {
        return config.routes().get("outbound").virtualHosts().getFirst().routes().getFirst();
    }

    private static io.envoyproxy.envoy.config.route.v3.Route.Builder toV1() {
        return route("r").setRoute(RouteAction.newBuilder().setCluster(V1));
    }

    @Test
    void readsMatchersRetriesMirrorsHashingRewritesAndHeaderOps() {
        var r = route("r").setMatch(RouteMatch.newBuilder().setPath("/Ratings").setCaseSensitive(BoolValue.of(false))
                        .addHeaders(HeaderMatcher.newBuilder().setName("End-User")
                                .setStringMatch(StringMatcher.newBuilder().setPrefix("ja")))
                        .addHeaders(HeaderMatcher.newBuilder().setName("x-canary").setPresentMatch(true).setInvertMatch(true))
                        .addQueryParameters(QueryParameterMatcher.newBuilder().setName("debug").setPresentMatch(true)))
                .setRoute(RouteAction.newBuilder().setCluster(V1)
                        .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(3))
                        .setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("5xx,gateway-error")
                                .setNumRetries(UInt32Value.of(4))
                                .setPerTryTimeout(com.google.protobuf.Duration.newBuilder().setNanos(500_000_000))
                                .addRetriableStatusCodes(409)
                                .setRetryBackOff(RetryPolicy.RetryBackOff.newBuilder()
                                        .setBaseInterval(com.google.protobuf.Duration.newBuilder().setNanos(10_000_000))
                                        .setMaxInterval(com.google.protobuf.Duration.newBuilder().setNanos(80_000_000))))
                        .addRequestMirrorPolicies(RouteAction.RequestMirrorPolicy.newBuilder().setCluster(V2)
                                .setRuntimeFraction(RuntimeFractionalPercent.newBuilder().setDefaultValue(
                                        FractionalPercent.newBuilder().setNumerator(25)
                                                .setDenominator(FractionalPercent.DenominatorType.HUNDRED))))
                        .addHashPolicy(RouteAction.HashPolicy.newBuilder().setHeader(
                                RouteAction.HashPolicy.Header.newBuilder().setHeaderName("X-User")))
                        .setPrefixRewrite("/v2/")
                        .setHostRewriteLiteral("ratings.internal"))
                .addRequestHeadersToAdd(HeaderValueOption.newBuilder()
                        .setHeader(HeaderValue.newBuilder().setKey("X-Set").setValue("1"))
                        .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD))
                .addResponseHeadersToRemove("Server");

        Route route = only(read(routes(r.build())));

        assertThat(route.match().path().matcher().matches("/ratings")).isTrue();
        assertThat(route.match().headers()).hasSize(2);
        assertThat(route.match().headers().get(0).name()).isEqualTo("end-user");
        assertThat(route.match().headers().get(1).matcher()).isNull();
        assertThat(route.match().headers().get(1).invert()).isTrue();
        assertThat(route.match().query()).containsExactly(new dev.meshdeck.dataplane.config.RouteMatch.QueryMatch("debug", null));
        assertThat(route.action().timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(route.action().retry()).isEqualTo(new Route.RetryPolicy(4, List.of("5xx", "gateway-error"),
                List.of(409), Duration.ofMillis(500), Duration.ofMillis(10), Duration.ofMillis(80)));
        assertThat(route.action().mirrors()).containsExactly(new Route.Mirror(V2, 0.25));
        assertThat(route.action().hashPolicies()).containsExactly(new Route.HashPolicy(Route.HashPolicy.Kind.HEADER, "x-user"));
        assertThat(route.action().prefixRewrite()).isEqualTo("/v2/");
        assertThat(route.action().hostRewrite()).isEqualTo("ratings.internal");
        assertThat(route.requestHeaders().set()).containsEntry("x-set", "1");
        assertThat(route.responseHeaders().remove()).containsExactly("server");
    }

    @Test
    void usesEnvoysDefaultTimeoutAndOneRetryWhenUnset() {
        Route route = only(read(routes(toV1().setRoute(RouteAction.newBuilder().setCluster(V1)
                .setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("reset"))).build())));

        assertThat(route.action().timeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(route.action().retry().numRetries()).isEqualTo(1);
    }

    @Test
    void readsFaultDelayAndAbortWithAnyDenominator() {
        HTTPFault fault = HTTPFault.newBuilder()
                .setDelay(FaultDelay.newBuilder().setFixedDelay(com.google.protobuf.Duration.newBuilder().setNanos(200_000_000))
                        .setPercentage(FractionalPercent.newBuilder().setNumerator(1250)
                                .setDenominator(FractionalPercent.DenominatorType.TEN_THOUSAND)))
                .setAbort(FaultAbort.newBuilder().setGrpcStatus(14)
                        .setPercentage(FractionalPercent.newBuilder().setNumerator(50)))
                .build();

        Route route = only(read(routes(toV1().putTypedPerFilterConfig("envoy.filters.http.fault", Any.pack(fault)).build())));

        assertThat(route.fault()).isEqualTo(new Route.Fault(Duration.ofMillis(200), 0.125, false, null, 14, 0.5, false));
    }

    @Test
    void readsHeaderControlledFaults() {
        HTTPFault fault = HTTPFault.newBuilder()
                .setDelay(FaultDelay.newBuilder().setHeaderDelay(FaultDelay.HeaderDelay.getDefaultInstance())
                        .setPercentage(FractionalPercent.newBuilder().setNumerator(100)))
                .setAbort(FaultAbort.newBuilder().setHeaderAbort(FaultAbort.HeaderAbort.getDefaultInstance())
                        .setPercentage(FractionalPercent.newBuilder().setNumerator(100)))
                .build();

        Route route = only(read(routes(toV1().putTypedPerFilterConfig("envoy.filters.http.fault", Any.pack(fault)).build())));

        assertThat(route.fault().headerDelay()).isTrue();
        assertThat(route.fault().headerAbort()).isTrue();
        assertThat(route.fault().delayFraction()).isEqualTo(1.0);
    }

    @Test
    void readsRingHashClustersAndLocalityWeights() {
        Cluster ring = edsCluster(V1).toBuilder().setLbPolicy(Cluster.LbPolicy.RING_HASH)
                .setRingHashLbConfig(Cluster.RingHashLbConfig.newBuilder().setMinimumRingSize(UInt64Value.of(4096)))
                .build();
        ClusterLoadAssignment twoZones = ClusterLoadAssignment.newBuilder().setClusterName(V1)
                .addEndpoints(LocalityLbEndpoints.newBuilder().setLoadBalancingWeight(UInt32Value.of(3))
                        .addLbEndpoints(endpoint("10.0.0.1", 80, 1)).addLbEndpoints(endpoint("10.0.0.2", 80, 1)))
                .addEndpoints(LocalityLbEndpoints.newBuilder().setLoadBalancingWeight(UInt32Value.of(1))
                        .addLbEndpoints(endpoint("10.0.1.1", 80, 5)))
                .build();

        ProxyConfig config = XdsConfigReader.read(Lite.state(List.of(outboundListener()),
                List.of(routes(toV1().build())), List.of(ring), List.of(twoZones)), Map.of());

        ClusterConfig c = config.clusters().get(V1);
        assertThat(c.lbPolicy()).isEqualTo(ClusterConfig.LbPolicy.RING_HASH);
        assertThat(c.ringSize()).isEqualTo(4096);
        // 3:1 between the zones, split evenly inside the first: 1.5 : 1.5 : 1 -> 3 : 3 : 2.
        assertThat(c.endpoints()).extracting(ClusterConfig.Endpoint::weight).containsExactly(3, 3, 2);
    }

    @Test
    void skipsAnUnknownOptionalFilter() {
        HttpFilter optional = HttpFilter.newBuilder().setName("acme.filters.http.magic")
                .setTypedConfig(Any.pack(Empty.getDefaultInstance())).setIsOptional(true).build();

        var lite = (dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.Listener)
                Lite.of(XdsType.LDS, List.of(outboundListener(optional, router()))).getFirst();
        var listener = dev.meshdeck.dataplane.xds.internal.ListenerReader.read(lite);

        assertThat(listener.filters()).containsExactly("envoy.filters.http.router");
    }

    @Test
    void rejectsAnUnknownRequiredFilter() {
        HttpFilter unknown = HttpFilter.newBuilder().setName("acme.filters.http.magic")
                .setTypedConfig(Any.pack(Empty.getDefaultInstance())).build();

        assertThatThrownBy(() -> validate(XdsType.LDS, List.of(outboundListener(unknown, router()))))
                .isInstanceOf(XdsConfigException.class)
                .hasMessage("listener outbound.filter_chains[0].filters[envoy.filters.network.http_connection_manager]"
                        + ".typed_config.http_filters[acme.filters.http.magic]: unknown filter (type google.protobuf.Empty)"
                        + " (expected one of: envoy.filters.http.fault, envoy.filters.http.router, or is_optional: true)");
    }

    @Test
    void rejectsAListenerWithoutARouter() {
        assertThatThrownBy(() -> validate(XdsType.LDS, List.of(outboundListener(XdsFixtures.fault()))))
                .hasMessageContaining("no router (expected: envoy.filters.http.router last)");
    }

    @Test
    void nacksAnUpstreamTlsContextNamingAnSdsSecretOtherThanTheLocalOnes() {
        Cluster tls = edsCluster(V1).toBuilder().setTransportSocket(TransportSocket.newBuilder()
                .setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(UpstreamTlsContext.newBuilder()
                        .setCommonTlsContext(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext.newBuilder()
                                .addTlsCertificateSdsSecretConfigs(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3
                                        .SdsSecretConfig.newBuilder().setName("kubernetes://my-cert")))
                        .build())))
                .build();

        assertThatThrownBy(() -> validate(XdsType.CDS, List.of(tls)))
                .isInstanceOf(XdsConfigException.class)
                .hasMessage("cluster " + V1 + ".transport_socket[envoy.transport_sockets.tls].typed_config"
                        + ".common_tls_context.tls_certificate_sds_secret_configs[0]: secret kubernetes://my-cert: "
                        + "only the local secrets default and ROOTCA are supported");
    }

    @Test
    void rejectsAnUnsupportedLoadBalancer() {
        Cluster c = edsCluster(V1).toBuilder().setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED).build();

        assertThatThrownBy(() -> validate(XdsType.CDS, List.of(c)))
                .hasMessage("cluster " + V1 + ".lb_policy: CLUSTER_PROVIDED "
                        + "(expected: ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH or MAGLEV)");
    }

    @Test
    void readsSlowStartFromTheRoundRobinAndLeastRequestConfigs() {
        Cluster roundRobin = edsCluster(V1).toBuilder()
                .setRoundRobinLbConfig(Cluster.RoundRobinLbConfig.newBuilder().setSlowStartConfig(
                        Cluster.SlowStartConfig.newBuilder().setSlowStartWindow(seconds(90))
                                .setAggression(RuntimeDouble.newBuilder().setDefaultValue(1.5).setRuntimeKey("warmup.a"))
                                .setMinWeightPercent(Percent.newBuilder().setValue(25))))
                .build();
        Cluster leastRequest = edsCluster(V2).toBuilder().setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST)
                .setLeastRequestLbConfig(Cluster.LeastRequestLbConfig.newBuilder().setSlowStartConfig(
                        Cluster.SlowStartConfig.newBuilder().setSlowStartWindow(seconds(30))))
                .build();

        ProxyConfig config = XdsConfigReader.read(Lite.state(List.of(outboundListener()),
                List.of(routes(toV1().build())), List.of(roundRobin, leastRequest),
                List.of(assignment(V1, "10.0.0.1", 80), assignment(V2, "10.0.0.2", 80))), Map.of());

        assertThat(config.clusters().get(V1).slowStart())
                .isEqualTo(new ClusterConfig.SlowStart(Duration.ofSeconds(90), 1.5, 25));
        assertThat(config.clusters().get(V2).slowStart()).as("Envoy's defaults: aggression 1, minimum 10 %")
                .isEqualTo(new ClusterConfig.SlowStart(Duration.ofSeconds(30), 1.0, 10));
    }

    @Test
    void aSlowStartConfigWithoutAWindowIsNoSlowStart() {
        Cluster c = edsCluster(V1).toBuilder().setRoundRobinLbConfig(Cluster.RoundRobinLbConfig.newBuilder()
                .setSlowStartConfig(Cluster.SlowStartConfig.newBuilder()
                        .setMinWeightPercent(Percent.newBuilder().setValue(50)))).build();

        ProxyConfig config = XdsConfigReader.read(Lite.state(List.of(outboundListener()),
                List.of(routes(toV1().build())), List.of(c), List.of(assignment(V1, "10.0.0.1", 80))), Map.of());

        assertThat(config.clusters().get(V1).slowStart()).isNull();
    }

    @Test
    void rejectsASlowStartItCannotApply() {
        Cluster.SlowStartConfig window = Cluster.SlowStartConfig.newBuilder().setSlowStartWindow(seconds(60)).build();
        Cluster mismatched = edsCluster(V1).toBuilder().setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST)
                .setRoundRobinLbConfig(Cluster.RoundRobinLbConfig.newBuilder().setSlowStartConfig(window)).build();
        Cluster noRamp = edsCluster(V1).toBuilder().setRoundRobinLbConfig(Cluster.RoundRobinLbConfig.newBuilder()
                .setSlowStartConfig(window.toBuilder().setAggression(RuntimeDouble.newBuilder().setRuntimeKey("k")))).build();
        Cluster overFull = edsCluster(V1).toBuilder().setRoundRobinLbConfig(Cluster.RoundRobinLbConfig.newBuilder()
                .setSlowStartConfig(window.toBuilder().setMinWeightPercent(Percent.newBuilder().setValue(120)))).build();
        Cluster threeChoices = edsCluster(V1).toBuilder().setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST)
                .setLeastRequestLbConfig(Cluster.LeastRequestLbConfig.newBuilder().setChoiceCount(UInt32Value.of(3)))
                .build();

        assertThatThrownBy(() -> validate(XdsType.CDS, List.of(mismatched))).hasMessage("cluster " + V1
                + ".round_robin_lb_config: set with lb_policy LEAST_REQUEST (expected: lb_policy ROUND_ROBIN)");
        assertThatThrownBy(() -> validate(XdsType.CDS, List.of(noRamp))).hasMessage("cluster " + V1
                + ".round_robin_lb_config.slow_start_config.aggression.default_value: 0.0 (expected: more than 0; "
                + "1 ramps linearly)");
        assertThatThrownBy(() -> validate(XdsType.CDS, List.of(overFull))).hasMessage("cluster " + V1
                + ".round_robin_lb_config.slow_start_config.min_weight_percent.value: 120.0 (expected: 0..100)");
        assertThatThrownBy(() -> validate(XdsType.CDS, List.of(threeChoices))).hasMessage("cluster " + V1
                + ".least_request_lb_config.choice_count: 3 not supported (expected: 2, the power of two choices)");
    }

    private static com.google.protobuf.Duration seconds(long s) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(s).build();
    }

    @Test
    void rejectsAnUnknownRetryCondition() {
        RouteConfiguration rc = routes(toV1().setRoute(RouteAction.newBuilder().setCluster(V1)
                .setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("5xx,sometimes"))).build());

        assertThatThrownBy(() -> validate(XdsType.RDS, List.of(rc)))
                .hasMessageStartingWith("route config outbound, virtual host reviews.default.svc.cluster.local, route r: "
                        + "route.retry_policy.retry_on: 'sometimes' (expected one of: ");
    }

    @Test
    void rejectsAnInvalidRegex() {
        RouteConfiguration rc = routes(toV1().setMatch(RouteMatch.newBuilder().setSafeRegex(
                io.envoyproxy.envoy.type.matcher.v3.RegexMatcher.newBuilder().setRegex("/(unclosed"))).build());

        assertThatThrownBy(() -> validate(XdsType.RDS, List.of(rc)))
                .hasMessageContaining("match.safe_regex.regex: '/(unclosed' is not a valid RE2 expression");
    }

    @Test
    void rejectsAFaultStatusOutOfRange() {
        HTTPFault fault = HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder().setHttpStatus(99)).build();
        RouteConfiguration rc = routes(toV1().putTypedPerFilterConfig("envoy.filters.http.fault", Any.pack(fault)).build());

        assertThatThrownBy(() -> validate(XdsType.RDS, List.of(rc)))
                .hasMessageContaining("typed_per_filter_config[envoy.filters.http.fault].abort.http_status: 99 "
                        + "(expected: 200..599)");
    }

    @Test
    void saysWhatIsMissingWhileWarming() {
        var state = Lite.state(List.of(outboundListener()), List.of(), List.of(edsCluster(V1)), List.of());

        assertThat(XdsConfigReader.assemble(state, Map.of())).isEqualTo(new XdsConfigReader.Assembly.Warming(List.of(
                "endpoints " + V1 + " (EDS of cluster " + V1 + ")",
                "route config outbound (RDS of listener outbound)")));
    }
}
