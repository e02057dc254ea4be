package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakGuard.class)
class ProxyErrorsTest {
    private final Stats stats = new Stats();
    private TestBackend reviews;
    private SidecarProxy proxy;
    private int outbound;
    private int closedPort;

    @BeforeEach
    void start() throws Exception {
        reviews = new TestBackend("reviews");
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        proxy = Proxies.proxy(ProxyOptions.DEFAULTS.withHeaderTimeout(Duration.ofMillis(300)), stats);
        proxy.update(Configs.builder()
                .cluster("reviews", reviews.port())
                .cluster("refusing", closedPort)
                .cluster("empty")
                .cluster("single", new ClusterConfig.CircuitBreakers(10, 10, 1, 3), reviews.port())
                .host("reviews", Configs.route("reviews", Duration.ofMillis(300), null, null))
                .host("refusing", "refusing")
                .host("empty", "empty")
                .host("single", Configs.route("single", Duration.ofSeconds(5), null, null))
                .build());
        outbound = proxy.port(Configs.OUTBOUND).orElseThrow();
    }

    @AfterEach
    void stop() {
        proxy.close();
        reviews.close();
    }

    @Test
    void answersAMalformedRequestWith400AndClosesOnlyThatConnection() throws Exception {
        try (RawHttp good = new RawHttp(outbound); RawHttp bad = new RawHttp(outbound)) {
            assertThat(good.get("reviews", "/").status()).isEqualTo(200);
            bad.send("GET / HTTP/1.1\r\nHost: reviews\r\nthis is not a header\r\n\r\n");
            RawHttp.Response r = bad.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).startsWith("malformed request");
            assertThat(bad.closedByServer()).isTrue();
            assertThat(good.get("reviews", "/").status()).isEqualTo(200);
        }
    }

    @Test
    void answersARequestWithoutHostWith400() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            c.send("GET / HTTP/1.1\r\n\r\n");
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("no Host header");
        }
    }

    @Test
    void answersHeadersOver60KbWith431() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            c.send("GET / HTTP/1.1\r\nHost: reviews\r\nx-big: " + "a".repeat(61 * 1024) + "\r\n\r\n");
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(431);
            assertThat(r.body()).contains("61440");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void cutsOffAClientThatTricklesItsHeaders() throws Exception {
        try (RawHttp slow = new RawHttp(outbound); RawHttp other = new RawHttp(outbound)) {
            slow.send("GET / HTTP/1.1\r\nHost: rev");
            assertThat(other.get("reviews", "/").status()).isEqualTo(200);
            RawHttp.Response r = slow.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.body()).contains("request headers not complete within 300 ms");
            assertThat(slow.closedByServer()).isTrue();
            assertThat(other.get("reviews", "/").status()).isEqualTo(200);
        }
    }

    @Test
    void keepsAKeepAliveConnectionWhoseRequestsOutlastTheHeaderTimeout() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            long end = System.nanoTime() + Duration.ofMillis(900).toNanos();
            int answered = 0;
            while (System.nanoTime() < end && answered < 200) {
                assertThat(c.get("reviews", "/").status()).isEqualTo(200);
                answered++;
                // Real time has to pass: the connection must outlive the 300 ms header timeout, which runs on
                // Netty's real-time scheduler; there is no condition to await.
                Thread.sleep(20);
            }
            assertThat(answered).isGreaterThan(1);
        }
    }

    @Test
    void cutsOffAKeepAliveClientThatTricklesItsNextRequest() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            assertThat(c.get("reviews", "/").status()).isEqualTo(200);
            c.send("GET / HTTP/1.1\r\nHost: rev");
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void closesAConnectionThatSendsNothingAfterTheHeaderTimeout() throws Exception {
        try (RawHttp idle = new RawHttp(outbound)) {
            assertThat(idle.closedByServer()).isTrue();
        }
    }

    @Test
    void answersARefusingUpstreamWith503NamingTheCluster() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            RawHttp.Response r = c.get("refusing", "/");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).contains("cluster refusing").contains("127.0.0.1:" + closedPort);
            assertThat(c.get("reviews", "/").status()).isEqualTo(200);
        }
    }

    @Test
    void answersAGrpcRequestsFailuresAsGrpcTrailersOnlyWithTheReasonAsEnvoyDoes() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            RawHttp.Response refused = c.get("refusing", "/echo.Echo/Say", "content-type: application/grpc+proto");
            RawHttp.Response unknown = c.get("nowhere", "/echo.Echo/Say", "content-type: application/grpc");

            assertThat(refused.status()).isEqualTo(200);
            assertThat(refused.headers()).containsEntry("content-type", "application/grpc")
                    .containsEntry("grpc-status", "14") // UNAVAILABLE, for a 503
                    .containsEntry("content-length", "0");
            assertThat(refused.headers().get("grpc-message")).contains("cluster refusing", "127.0.0.1:" + closedPort);
            assertThat(unknown.headers()).containsEntry("grpc-status", "12") // UNIMPLEMENTED, for a 404
                    .containsEntry("grpc-message", "no virtual host for host nowhere");
            assertThat(stats.counterValues()).containsEntry("http.outbound.downstream_rq_2xx", 2L);
        }
    }

    @Test
    void answersAClusterWithoutEndpointsWith503NamingTheCluster() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            RawHttp.Response r = c.get("empty", "/");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).contains("no healthy upstream").contains("cluster empty");
        }
    }

    @Test
    void answersAnUpstreamThatDoesNotAnswerInTimeWith504() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            RawHttp.Response r = c.get("reviews", "/slow");
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.body()).isEqualTo("upstream request timeout\n");
            assertThat(c.get("reviews", "/").status()).isEqualTo(200);
        }
    }

    @Test
    void answersOverflowOfMaxRequestsWith503AndTheOverloadedHeader() throws Exception {
        try (RawHttp busy = new RawHttp(outbound); RawHttp c = new RawHttp(outbound)) {
            busy.send("GET /slow HTTP/1.1\r\nHost: single\r\n\r\n");
            org.awaitility.Awaitility.await().until(() -> reviews.requests() == 1);
            RawHttp.Response r = c.get("single", "/");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.headers()).containsEntry("x-envoy-overloaded", "true");
            assertThat(stats.counterValues()).containsEntry("cluster.single.upstream_rq_pending_overflow", 1L);
            assertThat(r.body()).contains("cluster single").contains("max_requests 1");
        }
    }

    @Test
    void answersAnUpstreamThatSpeaksNoHttpWith502() throws Exception {
        try (ServerSocket garbage = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofPlatform().start(() -> {
                try (java.net.Socket s = garbage.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    s.getOutputStream().write("SSH-2.0-OpenSSH\r\nnot http at all\r\n\r\n".getBytes());
                    s.getOutputStream().flush();
                    s.getInputStream().read();
                } catch (java.io.IOException ignored) {
                    // the proxy closed the connection
                }
            });
            proxy.update(Configs.builder().cluster("garbage", garbage.getLocalPort()).host("garbage", "garbage").build());
            try (RawHttp c = new RawHttp(proxy.port(Configs.OUTBOUND).orElseThrow())) {
                RawHttp.Response r = c.get("garbage", "/");
                assertThat(r.status()).isEqualTo(502);
                assertThat(r.body()).contains("malformed response").contains("cluster garbage");
            }
            server.join();
        }
    }

    @Test
    void sharesAMaxConnectionsOfOneAcrossEventLoops() throws Exception {
        ProxyOptions twoLoops = new ProxyOptions(2, Duration.ofSeconds(10), 60 * 1024, 16 * 1024, 64 * 1024, () -> "id");
        try (SidecarProxy p = Proxies.proxy(twoLoops, new Stats())) {
            p.update(Configs.builder().cluster("one", new ClusterConfig.CircuitBreakers(1, 10, 10, 3), reviews.port())
                    .host("one", Configs.route("one", Duration.ofSeconds(10), null, null)).build());
            int port = p.port(Configs.OUTBOUND).orElseThrow();
            try (RawHttp a = new RawHttp(port); RawHttp b = new RawHttp(port)) {
                for (int i = 0; i < 5; i++) {
                    assertThat(a.get("one", "/").status()).isEqualTo(200);
                    assertThat(b.get("one", "/").status()).isEqualTo(200);
                    assertThat(p.upstreamConnections("one").orElseThrow()).isLessThanOrEqualTo(1);
                }
            }
        }
    }

    @Test
    void answersCONNECTWith405() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            c.send("CONNECT reviews:443 HTTP/1.1\r\nHost: reviews:443\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(405);
        }
    }

    @Test
    void answersAnUnknownRouteTargetWith400() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            c.send("GET https://reviews/ HTTP/1.1\r\nHost: reviews\r\n\r\n");
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("expected: /path or http://host/path");
        }
    }
}
