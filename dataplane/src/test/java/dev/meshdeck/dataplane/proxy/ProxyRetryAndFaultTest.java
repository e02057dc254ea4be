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
}
