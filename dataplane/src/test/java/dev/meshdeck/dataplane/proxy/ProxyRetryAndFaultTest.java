package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakGuard.class)
class ProxyRetryAndFaultTest {
    private final Stats stats = new Stats();
    private static final Route.RetryPolicy RETRY_5XX = new Route.RetryPolicy(2, List.of("5xx"), List.of(),
            Duration.ZERO, null, null);
    private static final Route.RetryPolicy RETRY_PER_TRY_TIMEOUT = new Route.RetryPolicy(1, List.of("5xx"), List.of(),
            Duration.ofMillis(200), null, null);

    private TestBackend backend;
    private SidecarProxy proxy;
    private int port;

    @BeforeEach
    void start() throws Exception {
        backend = new TestBackend("b");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        proxy = Proxies.proxy(ProxyOptions.DEFAULTS, stats);
        proxy.update(Configs.builder()
                .cluster("b", backend.port())
                .cluster("half-down", closedPort, backend.port())
                .cluster("no-retries", new dev.meshdeck.dataplane.config.ClusterConfig.CircuitBreakers(100, 100, 100, 0),
                        backend.port())
                .host("no-retries", Configs.route("no-retries", Duration.ofSeconds(10), RETRY_5XX, null))
                .host("retrying", Configs.route("b", Duration.ofSeconds(10), RETRY_5XX, null))
                .host("plain", Configs.route("b", Duration.ofSeconds(10), null, null))
                .host("half-down", Configs.route("half-down", Duration.ofSeconds(10), RETRY_5XX, null))
                .host("per-try", Configs.route("b", Duration.ofSeconds(10), RETRY_PER_TRY_TIMEOUT, null))
                .host("aborting", Configs.route("b", Duration.ZERO, null,
                        new Route.Fault(null, 0, false, 418, null, 1, false)))
                .host("delaying", Configs.route("b", Duration.ZERO, null,
                        new Route.Fault(Duration.ofMillis(20), 1, false, null, null, 0, false)))
                .host("grpc-aborting", Configs.route("b", Duration.ZERO, null,
                        new Route.Fault(null, 0, false, null, 14, 1, false)))
                .host("header-faults", Configs.route("b", Duration.ZERO, null,
                        new Route.Fault(null, 1, true, null, null, 1, true)))
                .host("timing-out", Configs.route("b", Duration.ofMillis(200), null, null))
                .build());
        port = proxy.port(Configs.OUTBOUND).orElseThrow();
    }

    @AfterEach
    void stop() {
        proxy.close();
        backend.close();
    }

    @Test
    void retriesAnUpstreamThatFailsEveryOtherCallIntoFullSuccess() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            for (int i = 0; i < 10; i++) {
                assertThat(c.get("retrying", "/flaky").status()).isEqualTo(200);
            }
        }
        assertThat(backend.requests()).isEqualTo(20);
    }

    @Test
    void doesNotRetryWhenTheClustersMaxRetriesBreakerIsFull() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("no-retries", "/flaky").status()).isEqualTo(503);
        }
        assertThat(backend.requests()).isEqualTo(1);
    }

    @Test
    void passesThe5xxThroughWithoutARetryPolicy() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("plain", "/flaky").status()).isEqualTo(503);
        }
    }

    @Test
    void answersTheLastFailureWhenRetriesAreUsedUp() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("retrying", "/status/500").status()).isEqualTo(500);
        }
        assertThat(backend.requests()).isEqualTo(3);
    }

    @Test
    void retriesAConnectFailureOnAnotherEndpoint() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            for (int i = 0; i < 6; i++) {
                assertThat(c.get("half-down", "/").status()).isEqualTo(200);
            }
        }
    }

    @Test
    void retriesAPostWhoseBodyWasBuffered() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            String body = "x".repeat(1000);
            // A POST is replayed only with the app's consent (docs/decisions/0004).
            c.send("POST /flaky HTTP/1.1\r\nHost: retrying\r\nx-envoy-retry-on: 5xx\r\nContent-Length: 1000\r\n\r\n" + body);
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
        }
        assertThat(backend.bodyBytes()).isEqualTo(2000);
    }

    @Test
    void doesNotRetryARequestWhoseBodyWasTooLargeToBuffer() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            int size = 100 * 1024;
            c.send("POST /flaky HTTP/1.1\r\nHost: retrying\r\nx-envoy-retry-on: 5xx\r\nContent-Length: " + size + "\r\n\r\n" + "y".repeat(size));
            assertThat(c.read().status()).isEqualTo(503);
        }
        assertThat(backend.requests()).isEqualTo(1);
    }

    @Test
    void retriesATryThatPassesItsPerTryTimeout() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response r = c.get("per-try", "/slow");
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.body()).contains("per-try timeout");
        }
        assertThat(backend.requests()).isEqualTo(2);
    }

    @Test
    void abortsAsTheRoutesFaultSays() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response r = c.get("aborting", "/");
            assertThat(r.status()).isEqualTo(418);
            assertThat(r.body()).isEqualTo("fault filter abort\n");
        }
        assertThat(backend.requests()).isZero();
    }

    @Test
    void forwardsADelayedRequestAfterItsDelay() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("delaying", "/").status()).isEqualTo(200);
        }
        assertThat(backend.requests()).isEqualTo(1);
    }

    @Test
    void doesNotReplayAPostWithoutTheAppsConsent() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            c.send("POST /flaky HTTP/1.1\r\nHost: retrying\r\nContent-Length: 3\r\n\r\nabc");
            assertThat(c.read().status()).isEqualTo(503);
        }
        assertThat(backend.requests()).isEqualTo(1);
        assertThat(stats.counterValues()).containsEntry("cluster.b.upstream_rq_retry", 0L);
    }

    @Test
    void answersAGrpcAbortToAGrpcRequestTrailersOnlyAndToAPlainRequestWithTheMappedStatus() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response grpc = c.get("grpc-aborting", "/pkg.Service/Method", "content-type: application/grpc",
                    "te: trailers");
            assertThat(grpc.status()).isEqualTo(200);
            assertThat(grpc.headers()).containsEntry("content-type", "application/grpc")
                    .containsEntry("grpc-status", "14").containsEntry("grpc-message", "fault filter abort");
            assertThat(grpc.body()).isEmpty();

            assertThat(c.get("grpc-aborting", "/").status()).isEqualTo(503);

            RawHttp.Response httpAbortToGrpc = c.get("aborting", "/pkg.Service/Method",
                    "content-type: application/grpc+proto");
            assertThat(httpAbortToGrpc.status()).isEqualTo(200);
            assertThat(httpAbortToGrpc.headers()).containsEntry("grpc-status", "2");
        }
        assertThat(backend.requests()).isZero();
        assertThat(stats.counterValues()).containsEntry("http.outbound.fault.aborts_injected", 3L)
                .containsEntry("http.outbound.fault.delays_injected", 0L);
    }

    @Test
    void abortsAsTheRequestsFaultHeaderAsksAndDoesNotForwardFaultHeaders() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("header-faults", "/", "x-envoy-fault-abort-request: 429").status()).isEqualTo(429);
            RawHttp.Response passed = c.get("header-faults", "/headers", "x-envoy-fault-abort-request: 500",
                    "x-envoy-fault-abort-request-percentage: 0", "x-envoy-retry-on: 5xx");
            assertThat(passed.status()).isEqualTo(200);
            assertThat(passed.body()).doesNotContain("x-envoy-fault").contains("x-envoy-retry-on: 5xx");
        }
        assertThat(stats.counterValues()).containsEntry("http.outbound.fault.aborts_injected", 1L);
    }

    @Test
    void countsTriesRetriesAndAnswersUnderEnvoysNames() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("retrying", "/flaky").status()).isEqualTo(200);
            assertThat(c.get("delaying", "/").status()).isEqualTo(200);
            assertThat(c.get("plain", "/status/404").status()).isEqualTo(404);
        }
        org.awaitility.Awaitility.await().until(() -> stats.histograms().get("http.outbound.downstream_rq_time").count() == 3);
        assertThat(stats.counterValues())
                .containsEntry("cluster.b.upstream_rq_total", 4L)
                .containsEntry("cluster.b.upstream_rq_2xx", 2L)
                .containsEntry("cluster.b.upstream_rq_4xx", 1L)
                .containsEntry("cluster.b.upstream_rq_5xx", 1L)
                .containsEntry("cluster.b.upstream_rq_retry", 1L)
                // the retried 503's connection is given up mid-answer, so the retry opens a second one
                .containsEntry("cluster.b.upstream_cx_total", 2L)
                .containsEntry("http.outbound.downstream_cx_total", 1L)
                .containsEntry("http.outbound.downstream_rq_total", 3L)
                .containsEntry("http.outbound.downstream_rq_2xx", 2L)
                .containsEntry("http.outbound.downstream_rq_4xx", 1L)
                .containsEntry("http.outbound.downstream_rq_5xx", 0L)
                .containsEntry("http.outbound.fault.delays_injected", 1L);
        assertThat(stats.histograms().get("cluster.b.upstream_rq_time").count()).isEqualTo(3);
    }

    @Test
    void countsConnectFailuresAndTheRetriesTheyCaused() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            for (int i = 0; i < 6; i++) {
                assertThat(c.get("half-down", "/").status()).isEqualTo(200);
            }
        }
        var counters = stats.counterValues();
        assertThat(counters.get("cluster.half-down.upstream_cx_connect_fail")).isPositive()
                .isEqualTo(counters.get("cluster.half-down.upstream_rq_retry"));
        assertThat(counters).containsEntry("cluster.half-down.upstream_rq_total", 6L)
                .containsEntry("cluster.half-down.upstream_rq_2xx", 6L);
    }

    @Test
    void countsRouteAndPerTryTimeouts() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("timing-out", "/slow").status()).isEqualTo(504);
            assertThat(c.get("per-try", "/slow").status()).isEqualTo(504);
        }
        assertThat(stats.counterValues())
                .containsEntry("cluster.b.upstream_rq_timeout", 1L)
                .containsEntry("cluster.b.upstream_rq_per_try_timeout", 2L)
                .containsEntry("cluster.b.upstream_rq_total", 3L)
                .containsEntry("cluster.b.upstream_rq_5xx", 3L)
                .containsEntry("http.outbound.downstream_rq_5xx", 2L);
    }

    @Test
    void countsARequestTheMaxRetriesBreakerRefusedToRetry() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("no-retries", "/flaky").status()).isEqualTo(503);
        }
        assertThat(stats.counterValues()).containsEntry("cluster.no-retries.upstream_rq_retry_overflow", 1L)
                .containsEntry("cluster.no-retries.upstream_rq_retry", 0L);
    }
}
