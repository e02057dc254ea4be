package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.H2cBackend;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import dev.meshdeck.dataplane.stats.Stats;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code max_requests_per_connection} (Istio's {@code connectionPool.http.maxRequestsPerConnection}): an upstream
 * connection that has carried that many requests is closed once the last of them is answered, over HTTP/1.1 and
 * HTTP/2 alike.
 */
@ExtendWith(LeakGuard.class)
class ProxyMaxRequestsPerConnectionTest {
    private final Stats stats = new Stats();
    private final SidecarProxy proxy = Proxies.proxy(ProxyOptions.DEFAULTS.withIoThreads(1), stats);
    private AutoCloseable app;

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        app.close();
    }

    private int listen(int appPort, ClusterConfig.UpstreamProtocol protocol, int maxRequestsPerConnection) {
        proxy.update(Configs.builder()
                .cluster(new ClusterConfig("c", ClusterConfig.LbPolicy.ROUND_ROBIN, 0, Duration.ofSeconds(2), null, null,
                        List.of(new Endpoint("127.0.0.1", appPort, 1)), null, protocol, null, maxRequestsPerConnection))
                .host("c", "c").build());
        return proxy.port(Configs.OUTBOUND).orElseThrow();
    }

    private void sendSequentially(int port, int n) throws Exception {
        try (RawHttp client = new RawHttp(port)) {
            for (int i = 0; i < n; i++) {
                RawHttp.Response r = client.get("c", "/r" + i);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
            }
        }
    }

    @Test
    void anHttp11UpstreamConnectionCarriesAtMostTheGivenNumberOfRequests() throws Exception {
        TestBackend backend = new TestBackend("app");
        app = backend;
        int port = listen(backend.port(), null, 3);

        sendSequentially(port, 7);

        assertThat(backend.requests()).isEqualTo(7);
        assertThat(backend.connections()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(backend.openConnections()).isEqualTo(1));
        assertThat(stats.counterValues()).containsEntry("cluster.c.upstream_cx_max_requests", 2L)
                .containsEntry("cluster.c.upstream_cx_total", 3L);
    }

    @Test
    void withoutALimitOneHttp11ConnectionCarriesEveryRequest() throws Exception {
        TestBackend backend = new TestBackend("app");
        app = backend;
        int port = listen(backend.port(), null, 0);

        sendSequentially(port, 7);

        assertThat(backend.connections()).isEqualTo(1);
        assertThat(stats.counterValues()).containsEntry("cluster.c.upstream_cx_max_requests", 0L);
    }

    @Test
    void anHttp2UpstreamConnectionOpensAtMostTheGivenNumberOfStreams() throws Exception {
        H2cBackend backend = new H2cBackend(100, 0);
        app = backend;
        int port = listen(backend.port(), ClusterConfig.UpstreamProtocol.HTTP2, 2);

        sendSequentially(port, 5);

        assertThat(backend.connections()).isEqualTo(3);
        assertThat(stats.counterValues()).containsEntry("cluster.c.upstream_cx_max_requests", 2L)
                .containsEntry("cluster.c.upstream_rq_2xx", 5L);
    }
}
