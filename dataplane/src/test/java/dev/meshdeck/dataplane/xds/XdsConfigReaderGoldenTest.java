package dev.meshdeck.dataplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ListenerConfig;
import dev.meshdeck.dataplane.config.ProxyConfig;
import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.config.RouteTable;
import dev.meshdeck.dataplane.config.TlsSettings;
import dev.meshdeck.dataplane.config.VirtualHost;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reader accepts what the controller actually sends (its golden files) and reads it right. */
class XdsConfigReaderGoldenTest {
    private static final String REVIEWS = "reviews.default.svc.cluster.local";
    private static final String RATINGS = "ratings.default.svc.cluster.local";

    private static ProxyConfig read(String file) {
        return XdsConfigReader.read(GoldenXds.load(file), Map.of("LDS", "1"));
    }

    private static VirtualHost host(ProxyConfig config, String table, String name) {
        RouteTable t = config.routes().get(table);
        return t.virtualHosts().stream().filter(vh -> vh.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void readsTheReviewsEightyTwentySplit() {
        ProxyConfig config = read("bookinfo-reviews-80-20.json");

        assertThat(config.listeners()).containsOnlyKeys("inbound", "outbound");
        ListenerConfig outbound = config.listeners().get("outbound");
        assertThat(outbound.direction()).isEqualTo(ListenerConfig.Direction.OUTBOUND);
        assertThat(outbound.port()).isEqualTo(15001);
        assertThat(outbound.routeTable()).isEqualTo("outbound");
        assertThat(outbound.filters()).containsExactly("envoy.filters.http.fault", "envoy.filters.http.router");
        assertThat(config.listeners().get("inbound").filters()).containsExactly("envoy.filters.http.router");

        VirtualHost reviews = host(config, "outbound", REVIEWS);
        assertThat(reviews.domains()).contains("reviews", "reviews:80", REVIEWS);
        Route route = reviews.routes().getFirst();
        assertThat(route.action().clusters()).containsExactly(
                new Route.WeightedCluster("outbound|80|v1|" + REVIEWS, 80),
                new Route.WeightedCluster("outbound|80|v2|" + REVIEWS, 20));
        assertThat(route.action().timeout()).isEqualTo(Duration.ZERO);
        Route.RetryPolicy retry = route.action().retry();
        assertThat(retry.numRetries()).isEqualTo(2);
        assertThat(retry.retryOn()).containsExactly("connect-failure", "refused-stream", "unavailable", "cancelled",
                "retriable-status-codes");
        assertThat(retry.retriableStatusCodes()).containsExactly(503);

        ClusterConfig v1 = config.clusters().get("outbound|80|v1|" + REVIEWS);
        assertThat(v1.lbPolicy()).isEqualTo(ClusterConfig.LbPolicy.ROUND_ROBIN);
        assertThat(v1.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(v1.endpoints()).isNotEmpty().allSatisfy(e -> assertThat(e.port()).isEqualTo(15006));
        assertThat(config.clusters().get("inbound|9080||").endpoints())
                .containsExactly(new ClusterConfig.Endpoint("127.0.0.1", 9080, 1));
    }

    @Test
    void readsTheRatingsAbortForJason() {
        ProxyConfig config = read("bookinfo-ratings-test-abort.json");

        VirtualHost ratings = host(config, "outbound", RATINGS);
        Route jason = ratings.routes().getFirst();
        assertThat(jason.match().headers()).singleElement().satisfies(h -> {
            assertThat(h.name()).isEqualTo("end-user");
            assertThat(h.matcher().matches("jason")).isTrue();
            assertThat(h.matcher().matches("jasonx")).isFalse();
        });
        assertThat(jason.fault()).isNotNull();
        assertThat(jason.fault().abortHttpStatus()).isEqualTo(500);
        assertThat(jason.fault().abortFraction()).isEqualTo(1.0);
        assertThat(jason.fault().delayFraction()).isZero();
        Route others = ratings.routes().get(1);
        assertThat(others.match().headers()).isEmpty();
        assertThat(others.fault()).isNull();
    }

    @Test
    void readsDestinationRulePoliciesCircuitBreakersAndOutlierDetection() {
        ProxyConfig config = read("destination-rule-least-request-pool-outlier.json");

        ClusterConfig v1 = config.clusters().get("outbound|80|v1|" + REVIEWS);
        assertThat(v1.lbPolicy()).isEqualTo(ClusterConfig.LbPolicy.LEAST_REQUEST);
        assertThat(v1.connectTimeout()).isEqualTo(Duration.ofMillis(30));
        assertThat(v1.circuitBreakers()).isEqualTo(new ClusterConfig.CircuitBreakers(100, 1, 100, 3));
        assertThat(v1.outlierDetection()).isEqualTo(ClusterConfig.OutlierDetection.builder().consecutive5xx(1, 100)
                .enforcingSuccessRate(0).interval(Duration.ofSeconds(1)).baseEjectionTime(Duration.ofSeconds(180))
                .maxEjectionPercent(100).build());
        assertThat(config.clusters().get("outbound|80|v2|" + REVIEWS).lbPolicy())
                .isEqualTo(ClusterConfig.LbPolicy.RANDOM);
    }

    @Test
    void readsAWarmupAsSlowStartOnRoundRobinAndLeastRequestClusters() {
        ProxyConfig config = read("destination-rule-warmup.json");

        ClusterConfig rule = config.clusters().get("outbound|80||" + REVIEWS);
        assertThat(rule.lbPolicy()).isEqualTo(ClusterConfig.LbPolicy.ROUND_ROBIN);
        assertThat(rule.slowStart()).isEqualTo(new ClusterConfig.SlowStart(Duration.ofSeconds(90), 2.0, 25));
        ClusterConfig v2 = config.clusters().get("outbound|80|v2|" + REVIEWS);
        assertThat(v2.lbPolicy()).isEqualTo(ClusterConfig.LbPolicy.LEAST_REQUEST);
        assertThat(v2.slowStart()).isEqualTo(new ClusterConfig.SlowStart(Duration.ofSeconds(60)));
        assertThat(config.clusters().get("outbound|80||ratings.default.svc.cluster.local").slowStart()).isNull();
    }

    @Test
    void readsServiceEntriesWithWeightedWorkloadsAndDnsHosts() {
        ProxyConfig config = read("service-entry-and-workload-entries.json");

        assertThat(config.clusters().get("outbound|8080||legacy.corp.internal").endpoints()).containsExactly(
                new ClusterConfig.Endpoint("10.1.0.5", 9080, 1),
                new ClusterConfig.Endpoint("10.1.0.6", 9081, 3));
        ClusterConfig.CircuitBreakers unlimited = config.clusters().get("outbound|8080||legacy.corp.internal")
                .circuitBreakers();
        assertThat(unlimited.maxConnections()).isEqualTo(Integer.MAX_VALUE);
        assertThat(config.clusters().get("outbound|80||httpbin.org").endpoints())
                .containsExactly(new ClusterConfig.Endpoint("httpbin.org", 80, 1));
    }

    @Test
    void readsIstioMutualTlsFromTheMutualTlsGolden() {
        ProxyConfig config = read("bookinfo-all-v1-mtls.json");

        ClusterConfig details = config.clusters().values().stream()
                .filter(c -> c.name().startsWith("outbound|80|v1|details")).findFirst().orElseThrow();
        TlsSettings.Upstream tls = details.tls();
        assertThat(tls).isNotNull();
        assertThat(tls.certificate()).isEqualTo(new TlsSettings.WorkloadSecret());
        assertThat(tls.validation().trust()).isEqualTo(new TlsSettings.WorkloadRoots());
        assertThat(tls.validation().subjectAltNames()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(TlsSettings.SanType.URI);
            assertThat(m.matcher().matches("spiffe://cluster.local/ns/default/sa/bookinfo-details")).isTrue();
        });
        assertThat(tls.sni()).isEqualTo("outbound_.80_.v1_.details.default.svc.cluster.local");
        assertThat(tls.alpn()).containsExactly("h2", "http/1.1");
        assertThat(tls.usesWorkloadIdentity()).isTrue();
        assertThat(config.listeners().get("inbound").tls()).isNull();
    }

    @Test
    void readsThePermissiveInboundListenerOfTheMutualTlsGolden() {
        ProxyConfig config = read("bookinfo-all-v1-mtls-inbound-permissive.json");

        TlsSettings.Listener inbound = config.listeners().get("inbound").tls();
        assertThat(inbound).isEqualTo(new TlsSettings.Listener(new TlsSettings.WorkloadSecret(),
                new TlsSettings.Validation(new TlsSettings.WorkloadRoots(), java.util.List.of()), true,
                java.util.List.of("h2", "http/1.1"), true));
        assertThat(config.listeners().get("inbound").filters()).containsExactly("envoy.filters.http.router");
    }
}
