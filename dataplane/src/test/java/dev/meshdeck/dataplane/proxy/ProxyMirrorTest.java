package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.config.RouteMatch;
import dev.meshdeck.dataplane.config.StringMatcher;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import dev.meshdeck.dataplane.stats.Stats;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakGuard.class)
class ProxyMirrorTest {
    private final Stats stats = new Stats();
    private TestBackend v1;
    private TestBackend v2;
    private SidecarProxy proxy;
    private int outbound;
    private int deadPort;

    @BeforeEach
    void start() throws Exception {
        v1 = new TestBackend("reviews-v1");
        v2 = new TestBackend("reviews-v2");
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        proxy = Proxies.proxy(new ProxyOptions(0, Duration.ofSeconds(10), 60 * 1024, 16 * 1024, 1024,
                () -> "id"), stats);
        proxy.update(Configs.builder()
                .cluster("v1", v1.port())
                .cluster("v2", v2.port())
                .cluster("dead", deadPort)
                .host("reviews", mirroring("reviews", "v2"))
                .host("refused-mirror", mirroring("refused-mirror", "dead"))
                .build());
        outbound = proxy.port(Configs.OUTBOUND).orElseThrow();
    }

    private static Route mirroring(String name, String mirrorCluster) {
        return new Route(name, new RouteMatch(new RouteMatch.PathMatch(StringMatcher.of(StringMatcher.Kind.PREFIX, "/",
                false)), List.of(), List.of()),
                new Route.Action(List.of(new Route.WeightedCluster("v1", 1)), Duration.ofSeconds(5), null,
                        List.of(new Route.Mirror(mirrorCluster, 1.0)), List.of(), null, null),
                null, null, null, null);
    }

    @AfterEach
    void stop() {
        proxy.close();
        v1.close();
        v2.close();
    }

    @Test
    void mirrorsEveryRequestToV2WhileAnswersComeFromV1() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            for (int i = 0; i < 20; i++) {
                RawHttp.Response r = c.get("reviews", "/reviews/" + i);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.headers()).containsEntry("x-backend", "reviews-v1");
            }
            c.send("POST /reviews HTTP/1.1\r\nHost: reviews\r\nContent-Length: 5\r\n\r\nhello");
            RawHttp.Response post = c.read();
            assertThat(post.body()).contains("reviews-v1").contains("received 5 bytes");
        }
        await().untilAsserted(() -> assertThat(v2.requests()).isEqualTo(21));
        assertThat(v1.requests()).isEqualTo(21);
        assertThat(v2.hosts()).containsOnly("reviews-shadow");
        assertThat(v1.hosts()).containsOnly("reviews");
        await().untilAsserted(() -> assertThat(v2.bodyBytes()).isEqualTo(5));
        await().untilAsserted(() -> assertThat(stats.counterValues())
                .containsEntry("cluster.v2.upstream_rq_total", 21L)
                .containsEntry("cluster.v2.upstream_rq_2xx", 21L)
                .containsEntry("cluster.v1.upstream_rq_total", 21L));
        assertThat(stats.counterValues()).containsEntry("http.outbound.downstream_rq_2xx", 21L);
    }

    @Test
    void aMirrorThatRefusesConnectionsNeverFailsTheMainRequest() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Response r = c.get("refused-mirror", "/x");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.headers()).containsEntry("x-backend", "reviews-v1");
            }
        }
        await().untilAsserted(() -> assertThat(stats.counterValues())
                .containsEntry("cluster.dead.upstream_cx_connect_fail", 3L));
        assertThat(stats.counterValues()).containsEntry("http.outbound.downstream_rq_2xx", 3L);
    }

    @Test
    void doesNotMirrorARequestWhoseBodyOutgrewTheBuffer() throws Exception {
        String body = "x".repeat(4096);
        try (RawHttp c = new RawHttp(outbound)) {
            c.send("POST /big HTTP/1.1\r\nHost: reviews\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            assertThat(c.read().body()).contains("received 4096 bytes");
            assertThat(c.get("reviews:9080", "/small").status()).isEqualTo(200);
        }
        await().untilAsserted(() -> assertThat(v2.requests()).isEqualTo(1));
        assertThat(v2.bodyBytes()).isZero();
        assertThat(v2.hosts()).containsExactly("reviews-shadow:9080");
        assertThat(v1.requests()).isEqualTo(2);
    }
}
