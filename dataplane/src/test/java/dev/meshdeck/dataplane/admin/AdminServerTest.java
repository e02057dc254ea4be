package dev.meshdeck.dataplane.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.meshdeck.dataplane.lb.LoadBalancer.TryCounts;
import dev.meshdeck.dataplane.proxy.ClusterStatus;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.tls.CertificateRequest;
import dev.meshdeck.dataplane.tls.SpiffeId;
import dev.meshdeck.dataplane.tls.TestCa;
import dev.meshdeck.dataplane.tls.WorkloadCertificate;
import dev.meshdeck.dataplane.xds.ConfigDumpQuery;
import io.envoyproxy.envoy.admin.v3.Certificate;
import io.envoyproxy.envoy.admin.v3.CertificateDetails;
import io.envoyproxy.envoy.admin.v3.Certificates;
import io.envoyproxy.envoy.admin.v3.SubjectAlternateName;
import io.envoyproxy.envoy.admin.v3.Clusters;
import io.envoyproxy.envoy.admin.v3.HostStatus;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
    /** One cluster with a healthy endpoint and an ejected one, as the proxy reports them. */
    private static final ClusterStatus APP = new ClusterStatus("inbound|8080||", List.of(
            new ClusterStatus.EndpointStatus("127.0.0.1", 8080, 1, false, 3, 1, 0, 1, new TryCounts(7, 5, 1, 0)),
            new ClusterStatus.EndpointStatus("::1", 8081, 2, true, 4, 0, 4, 0, new TryCounts(4, 0, 4, 0))));
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicReference<AdminServer.State> state = new AtomicReference<>(AdminServer.State.PRE_INITIALIZING);
    private final AtomicInteger drains = new AtomicInteger();
    private final Stats stats = new Stats();
    private final AtomicReference<ConfigDumpQuery> dumpQuery = new AtomicReference<>();
    private final AtomicReference<Optional<WorkloadCertificate>> workload = new AtomicReference<>(Optional.empty());
    private AdminServer admin;

    @BeforeEach
    void start() throws Exception {
        admin = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), new AdminServer.Handlers(
                state::get, query -> {
                    dumpQuery.set(query);
                    return "{\"configs\":[]}";
                }, () -> List.of(APP), stats, drains::incrementAndGet,
                workload::get));
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    @Test
    void readyIs503UntilTheSidecarHasItsConfigThen200Then503WhileItDrains() throws Exception {
        HttpResponse<String> before = get("/ready");
        assertThat(before.statusCode()).isEqualTo(503);
        assertThat(before.body()).isEqualTo("PRE_INITIALIZING\n");
        state.set(AdminServer.State.LIVE);
        HttpResponse<String> r = get("/ready");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("LIVE\n");
        state.set(AdminServer.State.DRAINING);
        HttpResponse<String> draining = get("/ready");
        assertThat(draining.statusCode()).isEqualTo(503);
        assertThat(draining.body()).isEqualTo("DRAINING\n");
    }

    @Test
    void servesTheConfigDumpAndTheStatsInBothFormats() throws Exception {
        stats.counter("http.outbound.downstream_rq_total").add(2);

        assertThat(get("/config_dump").body()).isEqualTo("{\"configs\":[]}");
        assertThat(get("/stats").body()).isEqualTo("http.outbound.downstream_rq_total: 2\n");
        assertThat(get("/stats/prometheus").body())
                .contains("envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix=\"outbound\"} 2");
        assertThat(get("/stats?format=prometheus").body()).isEqualTo(get("/stats/prometheus").body());
    }

    @Test
    void statsTakeEnvoysFilterAndUsedOnly() throws Exception {
        stats.counter("http.outbound.downstream_rq_total").add(2);
        stats.counter("http.inbound.downstream_rq_total");
        stats.counter("cluster.outbound|80||reviews.default.svc.cluster.local.upstream_rq_total").add(1);
        Stats.Counter active = stats.gauge("http.outbound.downstream_rq_active");
        active.inc();
        active.dec(); // back at zero, but used: Envoy's usedonly shows it

        assertThat(get("/stats?filter=%5Ehttp%5C.").body()) // ^http\.
                .isEqualTo("http.inbound.downstream_rq_total: 0\nhttp.outbound.downstream_rq_active: 0\n"
                        + "http.outbound.downstream_rq_total: 2\n");
        assertThat(get("/stats?usedonly").body()).isEqualTo("""
                cluster.outbound|80||reviews.default.svc.cluster.local.upstream_rq_total: 1
                http.outbound.downstream_rq_active: 0
                http.outbound.downstream_rq_total: 2
                """);
        assertThat(get("/stats?usedonly&filter=downstream_rq_total").body())
                .isEqualTo("http.outbound.downstream_rq_total: 2\n");
        assertThat(get("/stats/prometheus?usedonly&filter=reviews").body()).isEqualTo("""
                # TYPE envoy_cluster_upstream_rq_total counter
                envoy_cluster_upstream_rq_total{envoy_cluster_name="outbound|80||reviews.default.svc.cluster.local"} 1
                """);
    }

    @Test
    void aFilterTypedAsIsWithCharactersAUriMayNotHoldIsServed() throws Exception {
        stats.counter("http.outbound.downstream_rq_total").add(2);
        stats.counter("http.inbound.downstream_rq_total").add(1);
        stats.counter("cluster.x.upstream_rq_total").add(3);

        // As curl sends it, unencoded: '|', '^' and '\' are not allowed in a URI, and the JDK's HttpServer refused them.
        try (RawHttp raw = new RawHttp(admin.port())) {
            RawHttp.Response r = raw.get("127.0.0.1", "/stats?filter=^http\\.(inbound|outbound)\\.downstream_rq_total$");

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("http.inbound.downstream_rq_total: 1\nhttp.outbound.downstream_rq_total: 2\n");
        }
    }

    @Test
    void aMalformedRequestIs400AndTheEndpointServesTheNextClient() throws Exception {
        try (RawHttp raw = new RawHttp(admin.port())) {
            RawHttp.Response r = raw.send("GET /ready HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n").read();

            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).startsWith("malformed request: ");
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThat(get("/ready").statusCode()).isEqualTo(503);
    }

    @Test
    void aBadStatsQueryIs400NamingWhatIsWrong() throws Exception {
        HttpResponse<String> regex = get("/stats?filter=(open");
        assertThat(regex.statusCode()).isEqualTo(400);
        assertThat(regex.body()).startsWith("filter=(open is not a regular expression: ");

        HttpResponse<String> yaml = get("/stats?format=yaml");
        assertThat(yaml.statusCode()).isEqualTo(400);
        assertThat(yaml.body()).isEqualTo("format=yaml is not supported (expected: text, json or prometheus)\n");
    }

    @Test
    void statsAsJsonAreEnvoysShapeWithCountersGaugesAndCumulativeQuantiles() throws Exception {
        stats.counter("cluster.app.upstream_rq_total").add(3);
        stats.gauge("cluster.app.upstream_cx_active").inc();
        stats.counter("cluster.app.upstream_rq_retry");
        for (double ms : new double[] {0.3, 0.8, 4, 40}) {
            stats.histogram("cluster.app.upstream_rq_time").record(ms);
        }
        stats.histogram("http.outbound.downstream_rq_time");

        HttpResponse<String> r = get("/stats?format=json&filter=app%7Coutbound");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        com.google.gson.JsonArray all = com.google.gson.JsonParser.parseString(r.body()).getAsJsonObject()
                .getAsJsonArray("stats");
        Map<String, Long> values = new java.util.TreeMap<>();
        com.google.gson.JsonObject histograms = null;
        for (com.google.gson.JsonElement e : all) {
            if (e.getAsJsonObject().has("histograms")) {
                histograms = e.getAsJsonObject().getAsJsonObject("histograms");
            } else {
                values.put(e.getAsJsonObject().get("name").getAsString(), e.getAsJsonObject().get("value").getAsLong());
            }
        }
        assertThat(values).isEqualTo(Map.of("cluster.app.upstream_rq_total", 3L, "cluster.app.upstream_cx_active", 1L,
                "cluster.app.upstream_rq_retry", 0L));
        assertThat(histograms.getAsJsonArray("supported_quantiles").toString())
                .isEqualTo("[0,25,50,75,90,95,99,99.5,99.9,100]");
        com.google.gson.JsonArray computed = histograms.getAsJsonArray("computed_quantiles");
        assertThat(computed.size()).isEqualTo(2);
        com.google.gson.JsonObject rqTime = computed.get(0).getAsJsonObject();
        assertThat(rqTime.get("name").getAsString()).isEqualTo("cluster.app.upstream_rq_time");
        // Bucket bounds, ms: p25 of 0.3, 0.8, 4, 40 falls in the first bucket (<= 0.5), p50 in <= 1, p100 in <= 50.
        com.google.gson.JsonArray q = rqTime.getAsJsonArray("values");
        assertThat(q.get(1).getAsJsonObject().get("cumulative").getAsDouble()).isEqualTo(0.5);
        assertThat(q.get(2).getAsJsonObject().get("cumulative").getAsDouble()).isEqualTo(1.0);
        assertThat(q.get(9).getAsJsonObject().get("cumulative").getAsDouble()).isEqualTo(50.0);
        assertThat(q.get(2).getAsJsonObject().get("interval").isJsonNull()).isTrue();
        // An empty histogram has no quantiles.
        assertThat(computed.get(1).getAsJsonObject().getAsJsonArray("values").get(2).getAsJsonObject().get("cumulative")
                .isJsonNull()).isTrue();

        assertThat(get("/stats?format=json&usedonly").body()).doesNotContain("upstream_rq_retry", "downstream_rq_time");
    }

    @Test
    void theMetricsEndpointServesPrometheusTextAndNothingElse() throws Exception {
        stats.counter("http.outbound.downstream_rq_total").add(2);
        try (AdminServer metrics = AdminServer.metrics(new InetSocketAddress("127.0.0.1", 0), stats)) {
            URI base = URI.create("http://127.0.0.1:" + metrics.port());

            HttpResponse<String> prometheus = client.send(HttpRequest.newBuilder(base.resolve("/stats/prometheus?usedonly"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> other = client.send(HttpRequest.newBuilder(base.resolve("/config_dump")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(prometheus.statusCode()).isEqualTo(200);
            assertThat(prometheus.body()).isEqualTo(get("/stats/prometheus?usedonly").body());
            assertThat(other.statusCode()).isEqualTo(404);
            assertThat(other.body()).isEqualTo("no metrics path /config_dump (expected: /stats/prometheus)\n");
        }
    }

    @Test
    void quitquitquitDrainsOnlyOnPost() throws Exception {
        assertThat(get("/quitquitquit").statusCode()).isEqualTo(405);
        assertThat(drains).hasValue(0);

        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/quitquitquit"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        // The answer goes out before the drain starts (on the admin server's thread): await it.
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(drains).hasValue(1));
    }

    @Test
    void configDumpTakesEnvoysResourceAndNameRegexAndNamesWhatItCannotTake() throws Exception {
        assertThat(get("/config_dump").statusCode()).isEqualTo(200);
        assertThat(dumpQuery.get()).isEqualTo(ConfigDumpQuery.ALL);

        assertThat(get("/config_dump?resource=dynamic_active_clusters&name_regex=.*%5C%7Creviews%5C..*").statusCode())
                .isEqualTo(200);
        assertThat(dumpQuery.get().resource()).hasValue("dynamic_active_clusters");
        assertThat(dumpQuery.get().wants("outbound|9080||reviews.default.svc.cluster.local")).isTrue();
        assertThat(dumpQuery.get().wants("outbound|9080||ratings.default.svc.cluster.local")).isFalse();

        HttpResponse<String> unknown = get("/config_dump?resource=dynamic_clusters");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).startsWith("resource=dynamic_clusters is not a resource of the config dump (expected "
                + "one of: dynamic_listeners, dynamic_route_configs, dynamic_active_clusters, dynamic_endpoint_configs)");
        HttpResponse<String> badRegex = get("/config_dump?name_regex=%28");
        assertThat(badRegex.statusCode()).isEqualTo(400);
        assertThat(badRegex.body()).startsWith("name_regex=( is not a regular expression");
    }

    @Test
    void clustersAreEnvoysTextWithEachEndpointsStatsHealthAndWeight() throws Exception {
        HttpResponse<String> r = get("/clusters");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(get("/clusters?format=text").body()).isEqualTo("""
                inbound|8080||::added_via_api::true
                inbound|8080||::127.0.0.1:8080::cx_active::1
                inbound|8080||::127.0.0.1:8080::cx_connect_fail::0
                inbound|8080||::127.0.0.1:8080::cx_total::3
                inbound|8080||::127.0.0.1:8080::rq_active::1
                inbound|8080||::127.0.0.1:8080::rq_error::1
                inbound|8080||::127.0.0.1:8080::rq_success::5
                inbound|8080||::127.0.0.1:8080::rq_timeout::0
                inbound|8080||::127.0.0.1:8080::rq_total::7
                inbound|8080||::127.0.0.1:8080::health_flags::healthy
                inbound|8080||::127.0.0.1:8080::weight::1
                inbound|8080||::[::1]:8081::cx_active::0
                inbound|8080||::[::1]:8081::cx_connect_fail::4
                inbound|8080||::[::1]:8081::cx_total::4
                inbound|8080||::[::1]:8081::rq_active::0
                inbound|8080||::[::1]:8081::rq_error::4
                inbound|8080||::[::1]:8081::rq_success::0
                inbound|8080||::[::1]:8081::rq_timeout::0
                inbound|8080||::[::1]:8081::rq_total::4
                inbound|8080||::[::1]:8081::health_flags::/failed_outlier_check
                inbound|8080||::[::1]:8081::weight::2
                """);
    }

    @Test
    void clustersAsJsonAreEnvoysAdminClustersMessage() throws Exception {
        HttpResponse<String> r = get("/clusters?format=json");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        // Envoy's own message type reads it: every field is one of Envoy's, in its JSON mapping.
        Clusters.Builder parsed = Clusters.newBuilder();
        JsonFormat.parser().merge(r.body(), parsed);
        io.envoyproxy.envoy.admin.v3.ClusterStatus cluster = parsed.getClusterStatuses(0);
        assertThat(cluster.getName()).isEqualTo("inbound|8080||");
        assertThat(cluster.getAddedViaApi()).isTrue();
        HostStatus healthy = cluster.getHostStatuses(0);
        assertThat(healthy.getAddress().getSocketAddress().getAddress()).isEqualTo("127.0.0.1");
        assertThat(healthy.getAddress().getSocketAddress().getPortValue()).isEqualTo(8080);
        assertThat(healthy.getHealthStatus().getEdsHealthStatus()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(healthy.getHealthStatus().getFailedOutlierCheck()).isFalse();
        assertThat(healthy.getWeight()).isEqualTo(1);
        Map<String, Long> stats = new java.util.TreeMap<>();
        healthy.getStatsList().forEach(s -> stats.put(s.getName() + "/" + s.getType(), s.getValue()));
        assertThat(stats).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("cx_active/GAUGE", 1L,
                "cx_connect_fail/COUNTER", 0L, "cx_total/COUNTER", 3L, "rq_active/GAUGE", 1L, "rq_error/COUNTER", 1L,
                "rq_success/COUNTER", 5L, "rq_timeout/COUNTER", 0L, "rq_total/COUNTER", 7L)));
        HostStatus ejected = cluster.getHostStatuses(1);
        assertThat(ejected.getAddress().getSocketAddress().getAddress()).isEqualTo("::1");
        assertThat(ejected.getHealthStatus().getFailedOutlierCheck()).isTrue();
        assertThat(ejected.getWeight()).isEqualTo(2);
    }

    @Test
    void clustersInAnotherFormatAre400NamingTheFormats() throws Exception {
        HttpResponse<String> r = get("/clusters?format=yaml");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("format=yaml is not supported (expected: text or json)\n");
    }

    @Test
    void aHandlerThatFailsIsA500NamingTheFailureAndTheServerGoesOn() throws Exception {
        try (AdminServer failing = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), new AdminServer.Handlers(
                state::get, query -> {
                    throw new IllegalStateException("no config yet");
                }, List::of, stats, drains::incrementAndGet, Optional::empty))) {
            URI base = URI.create("http://127.0.0.1:" + failing.port());

            HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/config_dump")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).contains("admin request failed", "no config yet");
            assertThat(client.send(HttpRequest.newBuilder(base.resolve("/clusters")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void certsIsAnEmptyListUntilTheSidecarHasItsWorkloadCertificate() throws Exception {
        HttpResponse<String> r = get("/certs");

        assertThat(r.statusCode()).isEqualTo(200);
        Certificates.Builder parsed = Certificates.newBuilder();
        JsonFormat.parser().merge(r.body(), parsed);
        assertThat(parsed.getCertificatesList()).isEmpty();
    }

    @Test
    void certsShowTheWorkloadCertificateAndItsRootAsEnvoysCertificatesMessage() throws Exception {
        SpiffeId id = new SpiffeId("cluster.local", "default", "reviews");
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        TestCa ca = new TestCa("mesh").lifetime(Duration.ofDays(3).plusHours(1));
        WorkloadCertificate cert = WorkloadCertificate.fromCaChain(id, keys,
                ca.sign(CertificateRequest.pem(keys, id), Duration.ofDays(3)));
        workload.set(Optional.of(cert));

        HttpResponse<String> r = get("/certs");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        // Envoy's own message type reads it.
        Certificates.Builder parsed = Certificates.newBuilder();
        JsonFormat.parser().merge(r.body(), parsed);
        assertThat(parsed.getCertificatesCount()).isEqualTo(1);
        Certificate c = parsed.getCertificates(0);
        CertificateDetails leaf = c.getCertChain(0);
        assertThat(c.getCertChainCount()).isEqualTo(1);
        assertThat(leaf.getSerialNumber()).isEqualTo(cert.leaf().getSerialNumber().toString(16));
        assertThat(leaf.getSubjectAltNamesList()).extracting(SubjectAlternateName::getUri)
                .containsExactly("spiffe://cluster.local/ns/default/sa/reviews");
        assertThat(leaf.getDaysUntilExpiration()).isEqualTo(3);
        assertThat(leaf.getExpirationTime().getSeconds()).isEqualTo(cert.notAfter().getEpochSecond());
        assertThat(leaf.getValidFrom().getSeconds()).isEqualTo(cert.notBefore().getEpochSecond());
        assertThat(leaf.getPath()).isEqualTo("<inline>");
        CertificateDetails root = c.getCaCert(0);
        assertThat(c.getCaCertCount()).isEqualTo(1);
        assertThat(root.getSerialNumber()).isEqualTo("1");
        assertThat(root.getExpirationTime().getSeconds()).isEqualTo(ca.root().getNotAfter().toInstant().getEpochSecond());
    }

    @Test
    void anUnknownPathIs404NamingThePathsThereAre() throws Exception {
        HttpResponse<String> r = get("/server_info");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("no admin path /server_info", "/config_dump", "/clusters");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + admin.port() + path);
    }
}
