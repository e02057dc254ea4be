package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakGuard.class)
class ProxyRoutingTest {
    private final Stats stats = new Stats();
    private TestBackend reviews;
    private TestBackend ratings;
    private TestBackend app;
    private SidecarProxy proxy;
    private int outbound;
    private int inbound;

    @BeforeEach
    void start() {
        reviews = new TestBackend("reviews");
        ratings = new TestBackend("ratings");
        app = new TestBackend("app");
        proxy = Proxies.proxy(ProxyOptions.DEFAULTS, stats);
        proxy.update(Configs.builder()
                .cluster("outbound|9080||reviews", reviews.port())
                .cluster("outbound|9080||ratings", ratings.port())
                .cluster("inbound|9080||", app.port())
                .host("reviews", "outbound|9080||reviews")
                .host("ratings", Configs.route("/", "outbound|9080||ratings", Duration.ZERO, null, null,
                        new Route.HeaderOps(Map.of("x-set", "set-by-route"), Map.of("x-added", "added"),
                                List.of("x-secret"))))
                .cluster(new ClusterConfig("sticky", ClusterConfig.LbPolicy.RING_HASH, 1024, Duration.ofSeconds(2), null,
                        null, List.of(new ClusterConfig.Endpoint("127.0.0.1", reviews.port(), 1),
                                new ClusterConfig.Endpoint("127.0.0.1", ratings.port(), 1))))
                .host("sticky", new Route("sticky", Configs.route("sticky", Duration.ZERO, null, null).match(),
                        new Route.Action(List.of(new Route.WeightedCluster("sticky", 1)), Duration.ZERO, null, List.of(),
                                List.of(new Route.HashPolicy(Route.HashPolicy.Kind.HEADER, "x-user")), null, null),
                        null, null, null, null))
                .inbound("inbound|9080||")
                .build());
        outbound = proxy.port(Configs.OUTBOUND).orElseThrow();
        inbound = proxy.port(Configs.INBOUND).orElseThrow();
    }

    @AfterEach
    void stop() {
        proxy.close();
        reviews.close();
        ratings.close();
        app.close();
    }

    @Test
    void reportsTheEphemeralPortsItBound() {
        assertThat(outbound).isPositive();
        assertThat(inbound).isPositive().isNotEqualTo(outbound);
    }

    @Test
    void usesEpollWhereItsNativeLibraryLoads() {
        assertThat(proxy.transport()).isEqualTo(io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio");
    }

    @Test
    void routesAnOriginFormRequestByItsHostHeader() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            RawHttp.Response r = c.get("reviews", "/reviews/1");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers()).containsEntry("x-backend", "reviews");
            RawHttp.Response r2 = c.get("ratings:9080", "/ratings/1");
            assertThat(r2.headers()).containsEntry("x-backend", "ratings");
        }
    }

    @Test
    void routesAnAbsoluteFormRequestAsAnHttpProxy() throws Exception {
        try (HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", outbound))).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://reviews/reviews/1?x=1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-backend")).hasValue("reviews");

            HttpResponse<String> h = client.send(HttpRequest.newBuilder(URI.create("http://reviews/headers?q=2")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(h.body()).contains("uri: /headers?q=2\n").contains("host: reviews\n");
        }
    }

    @Test
    void sendsEverythingOnTheInboundListenerToTheLocalApp() throws Exception {
        try (RawHttp c = new RawHttp(inbound)) {
            assertThat(c.get("whatever.example", "/anything").headers()).containsEntry("x-backend", "app");
        }
    }

    @Test
    void answersAnUnknownHostWith404NamingTheHost() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            RawHttp.Response r = c.get("nosuchservice", "/x");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.body()).contains("nosuchservice");
            // The connection stays usable.
            assertThat(c.get("reviews", "/").status()).isEqualTo(200);
        }
    }

    @Test
    void addsRequestIdAndForwardedForAndPassesTraceparentThrough() throws Exception {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        try (RawHttp c = new RawHttp(outbound)) {
            String body = c.get("reviews", "/headers", "traceparent: " + traceparent,
                    "X-Forwarded-For: 10.0.0.7").body();
            assertThat(body).contains("traceparent: " + traceparent + "\n")
                    .contains("x-forwarded-for: 10.0.0.7, 127.0.0.1\n")
                    .containsPattern("x-request-id: [0-9a-f-]{36}\n");
            String kept = c.get("reviews", "/headers", "x-request-id: my-id-1").body();
            assertThat(kept).contains("x-request-id: my-id-1\n");
        }
    }

    @Test
    void dropsHopByHopHeaders() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            String body = c.get("reviews", "/headers", "Connection: keep-alive, x-hop", "x-hop: 1",
                    "Keep-Alive: timeout=5", "Proxy-Connection: keep-alive", "TE: trailers", "Upgrade: h2c",
                    "x-end-to-end: 2").body();
            assertThat(body).doesNotContain("x-hop").doesNotContain("keep-alive").doesNotContain("proxy-connection")
                    .doesNotContain("te: ").doesNotContain("upgrade").contains("x-end-to-end: 2");
        }
    }

    @Test
    void appliesTheRoutesHeaderChanges() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            String body = c.get("ratings", "/headers", "x-secret: s", "x-set: from-client").body();
            assertThat(body).doesNotContain("x-secret").contains("x-set: set-by-route\n").contains("x-added: added\n")
                    .doesNotContain("from-client");
        }
    }

    @Test
    void reusesOneUpstreamConnectionForRequestsOnAKeptAliveClientConnection() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            for (int i = 0; i < 20; i++) {
                assertThat(c.get("reviews", "/r/" + i).status()).isEqualTo(200);
            }
        }
        assertThat(reviews.requests()).isEqualTo(20);
        assertThat(reviews.connections()).isEqualTo(1);
    }

    @Test
    void servesPipelinedRequestsInOrder() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            c.send("GET /a HTTP/1.1\r\nHost: reviews\r\n\r\nGET /b HTTP/1.1\r\nHost: ratings\r\n\r\n");
            assertThat(c.read().headers()).containsEntry("x-backend", "reviews");
            assertThat(c.read().headers()).containsEntry("x-backend", "ratings");
        }
    }

    @Test
    void closesAfterAnswerWhenTheClientAsksForIt() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            RawHttp.Response r = c.get("reviews", "/", "Connection: close");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers()).containsEntry("connection", "close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void sendsEveryRequestOfOneUserToTheSameEndpointOfARingHashCluster() throws Exception {
        try (RawHttp c = new RawHttp(outbound)) {
            for (String user : List.of("alice", "bob", "carol", "dave", "erin", "frank")) {
                java.util.Set<String> backends = new java.util.HashSet<>();
                for (int i = 0; i < 5; i++) {
                    RawHttp.Response r = c.get("sticky", "/", "x-user: " + user);
                    assertThat(r.status()).isEqualTo(200);
                    backends.add(r.headers().get("x-backend"));
                }
                assertThat(backends).as("endpoints user %s reached", user).hasSize(1);
            }
        }
    }
}
