package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import dev.meshdeck.dataplane.stats.Stats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HTTP/2 clients in front of an HTTP/1.1-only app: the JDK's client upgrades with {@code Upgrade: h2c} (RFC 7540
 * §3.2) and the cluster's {@code explicit_http_config} (HTTP/1.1) has the sidecar translate to HTTP/1.1.
 */
@ExtendWith(LeakGuard.class)
class ProxyHttp2TranslationTest {
    private final Stats stats = new Stats();
    private TestBackend app;
    private SidecarProxy proxy;
    private HttpClient client;
    private int port;

    @BeforeEach
    void start() {
        app = new TestBackend("http1-only");
        proxy = Proxies.proxy(ProxyOptions.DEFAULTS.withIoThreads(1), stats);
        proxy.update(Configs.builder()
                .cluster(new ClusterConfig("app", ClusterConfig.LbPolicy.ROUND_ROBIN, 0, Duration.ofSeconds(2), null,
                        null, List.of(new Endpoint("127.0.0.1", app.port(), 1)), null,
                        ClusterConfig.UpstreamProtocol.HTTP1))
                .host("*", "app").build());
        port = proxy.port(Configs.OUTBOUND).orElseThrow();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    }

    @AfterEach
    void stop() {
        client.close();
        proxy.close();
        app.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anHttp11ClientUpgradesToH2cAndItsFirstRequestIsAnsweredOverHttp2() throws Exception {
        HttpResponse<String> first = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/one")));
        HttpResponse<String> second = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/two")));

        assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).startsWith("hello from http1-only");
        assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(second.body()).startsWith("hello from http1-only");
        assertThat(stats.counterValues()).containsEntry("http.outbound.downstream_cx_total", 1L)
                .containsEntry("http.outbound.downstream_rq_2xx", 2L);
    }

    @Test
    void anHttp2RequestBodyOfUnknownLengthReachesAnHttp11AppChunked() throws Exception {
        send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/warm-up")));
        byte[] body = new byte[100_000];
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/upload"))
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(body))));

        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(r.body()).contains("received 100000 bytes");
    }

    @Test
    void aRequestWithoutUpgradeStaysHttp11() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response r = c.get("anything", "/x");
            assertThat(r.status()).isEqualTo(200);
            assertThat(c.get("anything", "/y").status()).isEqualTo(200);
        }
    }
}
