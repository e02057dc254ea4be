package dev.meshdeck.console.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.controller.api.ApplyResult;
import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.dataplane.Sidecar;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio's {@code destination-rule-all-mtls.yaml} on the demo mesh, end to end: the controller's CA signs the
 * sidecars' CSRs, the clusters become ISTIO_MUTUAL, and Bookinfo's traffic keeps flowing, now over mutual TLS
 * as the sidecars' {@code ssl} stats show on both ends.
 */
@ExtendWith(LeakGuard.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoMeshMutualTlsTest {
    @TempDir
    static Path tmp;

    private DemoMesh mesh;
    private HttpClient client;

    @BeforeAll
    void start() throws Exception {
        mesh = DemoMesh.start(new DemoMesh.Settings(tmp.resolve("workspace"), Optional.empty(), 0));
        client = HttpClient.newBuilder().proxy(new SidecarProxySelector(mesh.loadSidecar()::outboundPort)).build();
    }

    @AfterAll
    void stop() {
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void bookinfoTrafficFlowsOverMutualTlsWithIstiosAllMtlsDestinationRules() throws Exception {
        ApplyResult result = mesh.controller().controlPlane().apply(
                DemoMesh.bundled(List.of("destination-rule-all-mtls.yaml")), false, true);
        assertThat(result.errors()).isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> mesh.controller().controlPlane().proxies().stream()
                .allMatch(p -> p.overall() == ProxyStatus.SyncState.SYNCED));
        await().atMost(Duration.ofSeconds(30)).until(() -> mesh.workloads().values().stream()
                .allMatch(w -> w.sidecar().ready() && w.sidecar().secrets().current().isPresent()));

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create("http://productpage/productpage"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).contains("\"service\":\"productpage\"", "\"service\":\"reviews\"",
                    "\"author\":\"William Shakespeare\"");
        }

        Sidecar productpage = mesh.workloads().get(BookinfoService.PRODUCTPAGE).sidecar();
        assertThat(sum(mesh.loadSidecar(), "cluster.outbound|", "productpage", ".ssl.handshake")).isPositive();
        assertThat(sum(productpage, "cluster.outbound|", "details", ".ssl.handshake")).isPositive();
        assertThat(sum(productpage, "listener.", "", ".ssl.handshake")).isPositive();
        assertThat(sum(mesh.workloads().get(BookinfoService.DETAILS).sidecar(), "listener.", "", ".ssl.handshake"))
                .isPositive();
        assertThat(sum(productpage, "cluster.outbound|", "", ".ssl.connection_error")).isZero();
    }

    private static long sum(Sidecar sidecar, String prefix, String contains, String suffix) {
        long total = 0;
        for (Map.Entry<String, Long> e : sidecar.stats().counterValues().entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getKey().contains(contains) && e.getKey().endsWith(suffix)) {
                total += e.getValue();
            }
        }
        return total;
    }
}
