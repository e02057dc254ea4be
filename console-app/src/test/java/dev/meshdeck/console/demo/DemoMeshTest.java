package dev.meshdeck.console.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.controller.api.ApplyResult;
import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.controller.api.SourceFile;
import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole mesh for real on loopback: the embedded controller programs the Bookinfo workloads' sidecars,
 * and requests through the load generator's sidecar go where Istio's Bookinfo samples send them.
 */
@ExtendWith(LeakGuard.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoMeshTest {
    @TempDir
    static Path tmp;

    private DemoMesh mesh;
    private HttpClient client;

    @BeforeAll
    void start() throws Exception {
        mesh = DemoMesh.start(new DemoMesh.Settings(tmp.resolve("workspace"), Optional.empty(), 0));
        client = HttpClient.newBuilder().proxy(new SidecarProxySelector(mesh.loadSidecar()::outboundPort)).build();
    }

    /** Every test starts from the demo's own config: the DestinationRules, no routing rules. */
    @BeforeEach
    void resetConfig() throws Exception {
        applyFiles(DemoMesh.bundled(DemoMesh.INITIAL_CONFIG));
    }

    @AfterAll
    void stop() {
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void productpageAnswersThroughTheSidecars() throws Exception {
        HttpResponse<String> page = get("http://productpage/productpage", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("\"service\":\"productpage\"", "\"author\":\"William Shakespeare\"",
                "\"service\":\"reviews\"");
    }

    @Test
    void anHttp2ClientReachesProductpageAnHttp11OnlyAppThroughItsSidecar() throws Exception {
        // The JDK's HttpServer speaks HTTP/1.1 only; the sidecar's cluster for its app follows the client's protocol.
        int inbound = mesh.workloads().get(BookinfoService.PRODUCTPAGE).sidecar().inboundPort();
        try (HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> page = h2.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + inbound
                        + "/productpage")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());

                assertThat(page.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("\"service\":\"productpage\"", "\"author\":\"William Shakespeare\"");
            }
        }
    }

    @Test
    void theReviews8020SampleSplitsTrafficWithinFivePoints() throws Exception {
        apply("virtual-service-reviews-80-20.yaml");

        int v1 = 0;
        int total = 2000;
        for (int i = 0; i < total; i++) {
            String body = get("http://reviews/reviews/" + i, null).body();
            // The answer starts with the reviews version; v2 also embeds the ratings it called.
            if (body.startsWith("{\"service\":\"reviews\",\"version\":\"v1\"")) {
                v1++;
            } else {
                assertThat(body).startsWith("{\"service\":\"reviews\",\"version\":\"v2\"");
            }
        }
        assertThat(v1 * 100.0 / total).isBetween(75.0, 85.0);
    }

    @Test
    void theJasonSampleSendsJasonToV2AndEveryoneElseToV3() throws Exception {
        apply("virtual-service-reviews-jason-v2-v3.yaml");

        for (int i = 0; i < 20; i++) {
            assertThat(get("http://reviews/reviews/1", "jason").body()).startsWith("{\"service\":\"reviews\",\"version\":\"v2\"");
            assertThat(get("http://reviews/reviews/1", null).body()).startsWith("{\"service\":\"reviews\",\"version\":\"v3\"");
        }
    }

    @Test
    void theRatingsAbortSampleAnswers500ToJasonOnly() throws Exception {
        apply("virtual-service-ratings-test-abort.yaml");

        for (int i = 0; i < 20; i++) {
            assertThat(get("http://ratings/ratings/1", "jason").statusCode()).isEqualTo(500);
            assertThat(get("http://ratings/ratings/1", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theRatingsDelaySampleHoldsJasonsRequestsForSevenSeconds() throws Exception {
        apply("virtual-service-ratings-test-delay.yaml");

        long start = System.nanoTime();
        assertThat(get("http://ratings/ratings/1", "jason").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(7));
        assertThat(get("http://ratings/ratings/1", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aFiftyPercentAbortHoldsWithinFivePoints() throws Exception {
        applyDetailsFault("""
                abort:
                  httpStatus: 503
                  percentage: {value: 50}
                """);

        int aborted = 0;
        int total = 2000;
        for (int i = 0; i < total; i++) {
            int status = get("http://details/details/" + i, null).statusCode();
            assertThat(status).isIn(200, 503);
            if (status == 503) {
                aborted++;
            }
        }
        assertThat(aborted * 100.0 / total).isBetween(45.0, 55.0);
    }

    @Test
    void aTwoHundredMillisecondDelayAddsAtLeastTwoHundredMilliseconds() throws Exception {
        applyDetailsFault("""
                delay:
                  fixedDelay: 200ms
                  percentage: {value: 100}
                """);

        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            assertThat(get("http://details/details/1", null).statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void aReviewsWarmupIsAcceptedByEverySidecarAndReachesTheirReviewsClustersAsSlowStart() throws Exception {
        List<SourceFile> files = new java.util.ArrayList<>();
        for (SourceFile f : DemoMesh.bundled(List.of("destination-rule-all.yaml", "virtual-service-reviews-80-20.yaml"))) {
            files.add(new SourceFile(f.name(), f.text().replace("""
                    spec:
                      host: reviews
                    """, """
                    spec:
                      host: reviews
                      trafficPolicy:
                        loadBalancer:
                          simple: LEAST_REQUEST
                          warmup: {duration: 45s, minimumPercent: 20, aggression: 1.5}
                    """)));
        }
        assertThat(files.getFirst().text()).contains("warmup:");

        applyFiles(files);

        ClusterConfig v1 = mesh.loadSidecar().proxy().config().clusters().values().stream()
                .filter(c -> c.name().matches("outbound\\|\\d+\\|v1\\|reviews\\..*")).findFirst().orElseThrow();
        assertThat(v1.lbPolicy()).isEqualTo(ClusterConfig.LbPolicy.LEAST_REQUEST);
        assertThat(v1.slowStart()).isEqualTo(new ClusterConfig.SlowStart(Duration.ofSeconds(45), 1.5, 20));
        assertThat(get("http://productpage/productpage", null).statusCode()).isEqualTo(200);
    }

    /** Applies a bundled Bookinfo sample over the demo's DestinationRules and waits until every sidecar has it. */
    private void apply(String sample) throws Exception {
        applyFiles(DemoMesh.bundled(List.of("destination-rule-all.yaml", sample)));
    }

    /** Applies the DestinationRules and a VirtualService for details with {@code fault} (YAML under {@code fault:}). */
    private void applyDetailsFault(String fault) throws Exception {
        List<SourceFile> files = new java.util.ArrayList<>(DemoMesh.bundled(List.of("destination-rule-all.yaml")));
        files.add(new SourceFile("details.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: details
                spec:
                  hosts: [details]
                  http:
                  - route:
                    - destination: {host: details, subset: v1}
                    fault:
                """ + fault.indent(6)));
        applyFiles(files);
    }

    private void applyFiles(List<SourceFile> files) throws Exception {
        String routesBefore = mesh.loadSidecar().ads().versions().getOrDefault("RDS", "");
        ApplyResult result = mesh.controller().controlPlane().apply(files, false, true);
        assertThat(result.errors()).isEmpty();
        if (result.applied()) {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    !mesh.loadSidecar().ads().versions().getOrDefault("RDS", "").equals(routesBefore)
                            && mesh.controller().controlPlane().proxies().stream()
                            .allMatch(p -> p.overall() == ProxyStatus.SyncState.SYNCED));
        }
    }

    private HttpResponse<String> get(String uri, String endUser) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20));
        if (endUser != null) {
            request.header("end-user", endUser);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
