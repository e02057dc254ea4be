package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import dev.meshdeck.dataplane.proxy.support.WebSocketEchoServer;
import dev.meshdeck.dataplane.stats.Stats;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gauges {@code downstream_cx_active}, {@code downstream_rq_active}, {@code upstream_cx_active} and
 * {@code upstream_rq_active}, and {@code /clusters}' per-host {@code cx_active}: they count what is open and in
 * flight, and come back to zero however requests and connections end (answered, timed out, refused, the client
 * gone, upgraded to a WebSocket, over HTTP/2).
 */
@ExtendWith(LeakGuard.class)
class ProxyActiveGaugesTest {
    private static final String HTTP = "http." + Configs.OUTBOUND + ".";
    private final Stats stats = new Stats();
    private TestBackend reviews;
    private WebSocketEchoServer ws;
    private SidecarProxy proxy;
    private int outbound;

    @BeforeEach
    void start() throws Exception {
        reviews = new TestBackend("reviews");
        ws = new WebSocketEchoServer();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        proxy = Proxies.proxy(ProxyOptions.DEFAULTS, stats);
        proxy.update(Configs.builder()
                .cluster("reviews", reviews.port())
                .cluster("refusing", closedPort)
                .cluster("ws", ws.port())
                .host("reviews", Configs.route("reviews", Duration.ofSeconds(10), null, null))
                .host("hasty", Configs.route("reviews", Duration.ofMillis(200), null, null))
                .host("127.0.0.1", Configs.route("reviews", Duration.ofSeconds(10), null, null))
                .host("refusing", "refusing")
                .host("ws", "ws")
                .build());
        outbound = proxy.port(Configs.OUTBOUND).orElseThrow();
    }

    @AfterEach
    void stop() {
        proxy.close();
        reviews.close();
        ws.close();
    }

    @Test
    void aRequestInFlightCountsOnBothSidesUntilItIsAnswered() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            c.send("GET /delay/1500 HTTP/1.1\r\nHost: reviews\r\n\r\n");

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(gauge(HTTP + "downstream_rq_active")).isEqualTo(1);
                assertThat(gauge("cluster.reviews.upstream_rq_active")).isEqualTo(1);
            });
            assertThat(gauge(HTTP + "downstream_cx_active")).isEqualTo(1);
            assertThat(gauge("cluster.reviews.upstream_cx_active")).isEqualTo(1);
            assertThat(reviewsEndpoint().rqActive()).isEqualTo(1);

            assertThat(c.read().status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(gauge(HTTP + "downstream_rq_active")).isZero();
                assertThat(gauge("cluster.reviews.upstream_rq_active")).isZero();
            });
            // The upstream connection stays pooled; the client's stays open.
            assertThat(gauge("cluster.reviews.upstream_cx_active")).isEqualTo(1);
            assertThat(reviewsEndpoint().cxActive()).isEqualTo(1);
            assertThat(gauge(HTTP + "downstream_cx_active")).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(gauge(HTTP + "downstream_cx_active")).isZero());
    }

    @Test
    void everyWayARequestEndsBringsTheGaugesBackToZero() throws Exception {
        List<Socket> websockets = new ArrayList<>();
        try (RawHttp answered = new RawHttp(outbound); RawHttp timedOut = new RawHttp(outbound);
             RawHttp refused = new RawHttp(outbound); RawHttp unknown = new RawHttp(outbound);
             RawHttp malformed = new RawHttp(outbound)) {
            assertThat(answered.get("reviews", "/").status()).isEqualTo(200);
            assertThat(timedOut.get("hasty", "/slow").status()).isEqualTo(504);
            assertThat(refused.get("refusing", "/").status()).isEqualTo(503);
            assertThat(unknown.get("nowhere", "/").status()).isEqualTo(404);
            assertThat(malformed.send("GET / HTTP/1.1\r\nHost: reviews\r\nbad header\r\n\r\n").read().status())
                    .isEqualTo(400);

            // A client that leaves while its request waits for the upstream.
            try (RawHttp leaving = new RawHttp(outbound)) {
                leaving.send("GET /slow HTTP/1.1\r\nHost: reviews\r\n\r\n");
                await().atMost(Duration.ofSeconds(5))
                        .untilAsserted(() -> assertThat(gauge("cluster.reviews.upstream_rq_active")).isEqualTo(1));
            }

            // A WebSocket: its exchange ends at the 101; its two connections stay open until the client leaves.
            Socket s = new Socket("127.0.0.1", outbound);
            websockets.add(s);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: ws\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readLine(s.getInputStream())).startsWith("HTTP/1.1 101");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(gauge("cluster.ws.upstream_cx_active")).isEqualTo(1);
                assertThat(gauge(HTTP + "downstream_rq_active")).isZero();
            });

            // HTTP/2 (h2c by upgrade from the JDK's client), to an upstream that speaks HTTP/1.1 only.
            HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(h2.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + outbound + "/h2")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                assertThat(call.get().statusCode()).isEqualTo(200);
            }
            h2.close();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(gauge(HTTP + "downstream_rq_active")).isZero();
                assertThat(gauge("cluster.reviews.upstream_rq_active")).isZero();
                assertThat(gauge("cluster.refusing.upstream_rq_active")).isZero();
                assertThat(gauge("cluster.ws.upstream_rq_active")).isZero();
                assertThat(gauge("cluster.refusing.upstream_cx_active")).isZero();
                // What the proxy holds open to the backend is what the backend sees open.
                assertThat(gauge("cluster.reviews.upstream_cx_active")).isEqualTo(reviews.openConnections());
                assertThat(reviewsEndpoint().cxActive()).isEqualTo(reviews.openConnections());
            });
        } finally {
            for (Socket s : websockets) {
                s.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(gauge(HTTP + "downstream_cx_active")).isZero();
            assertThat(gauge("cluster.ws.upstream_cx_active")).isZero();
        });
        assertThat(gauge("cluster.refusing.upstream_cx_connect_fail")).isPositive();
    }

    private ClusterStatus.EndpointStatus reviewsEndpoint() {
        return proxy.clusterStatuses().stream().filter(c -> c.name().equals("reviews")).findFirst().orElseThrow()
                .endpoints().get(0);
    }

    private long gauge(String name) {
        return stats.counterValues().getOrDefault(name, 0L);
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            b.append((char) c);
        }
        return b.toString().trim();
    }
}
