package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import dev.meshdeck.dataplane.stats.Stats;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HTTP/2 clients in front of an app that speaks HTTP/1.1 only, through a cluster that follows the client's
 * protocol ({@code use_downstream_protocol_config}, what the mesh gives every cluster, the app's own port
 * included). The sidecar first tries h2c; the app's answer to the connection preface is not HTTP/2, so the same
 * request goes over HTTP/1.1, and so do the next ones to that app. The JDK's client upgrades with
 * {@code Upgrade: h2c}, as a Java app with the client's defaults does.
 */
@ExtendWith(LeakGuard.class)
class ProxyHttp2ToHttp11AppTest {
    private final Stats stats = new Stats();
    private final List<AutoCloseable> apps = new java.util.ArrayList<>();
    private SidecarProxy proxy;
    private HttpClient client;

    @BeforeEach
    void start() {
        proxy = Proxies.proxy(ProxyOptions.DEFAULTS.withIoThreads(1), stats);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        proxy.close();
        for (AutoCloseable app : apps) {
            app.close();
        }
    }

    /** The proxy's outbound port, with every host routed to cluster {@code app} of one endpoint on {@code appPort}. */
    private int route(int appPort, ClusterConfig.UpstreamProtocol protocol) {
        proxy.update(Configs.builder()
                .cluster(new ClusterConfig("app", ClusterConfig.LbPolicy.ROUND_ROBIN, 0, Duration.ofSeconds(2), null,
                        null, List.of(new Endpoint("127.0.0.1", appPort, 1)), null, protocol))
                .host("*", "app").build());
        return proxy.port(Configs.OUTBOUND).orElseThrow();
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anHttp2ClientsRequestsReachAnHttp11OnlyAppAndOnlyTheFirstTriesHttp2() throws Exception {
        TestBackend app = new TestBackend("http1-only");
        apps.add(app);
        int port = route(app.port(), ClusterConfig.UpstreamProtocol.USE_DOWNSTREAM);

        for (String path : List.of("/one", "/two", "/three")) {
            HttpResponse<String> r = get(port, path);
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith("hello from http1-only");
        }
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/up"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[50_000])).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(post.body()).contains("received 50000 bytes");
        assertThat(stats.counterValues()).containsEntry("cluster.app.upstream_cx_protocol_error", 1L)
                .containsEntry("cluster.app.upstream_rq_total", 4L)
                .containsEntry("cluster.app.upstream_rq_2xx", 4L)
                .containsEntry("http.outbound.downstream_rq_2xx", 4L);
    }

    @Test
    void anAppThatAnswersThePrefaceWithAnErrorPageAndNoStatusLineIsReachedToo() throws Exception {
        ErrorPageOnPreface app = new ErrorPageOnPreface();
        apps.add(app);
        int port = route(app.port(), ClusterConfig.UpstreamProtocol.USE_DOWNSTREAM);

        HttpResponse<String> r = get(port, "/page");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok GET /page");
        assertThat(stats.counterValues()).containsEntry("cluster.app.upstream_cx_protocol_error", 1L);
    }

    @Test
    void aGrpcCallIsNeverSentToTheAppOverHttp11AndItsErrorSaysWhy() throws Exception {
        TestBackend app = new TestBackend("http1-only");
        apps.add(app);
        int port = route(app.port(), ClusterConfig.UpstreamProtocol.USE_DOWNSTREAM);
        assertThat(get(port, "/first").statusCode()).isEqualTo(200); // the app is now known to speak HTTP/1.1 only

        HttpResponse<String> call = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/echo.Echo/Say")).header("content-type", "application/grpc").header("te", "trailers")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0, 0, 0, 0, 0}))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());

        // gRPC's UNAVAILABLE, trailers only, naming the reason. The call tried HTTP/2 (a second protocol error) and
        // was never sent over HTTP/1.1: one try in all, the first GET's (the app would have answered it 404).
        assertThat(call.statusCode()).isEqualTo(200);
        assertThat(call.headers().firstValue("grpc-status")).as("%s", call.headers().map()).hasValue("14");
        assertThat(call.headers().firstValue("grpc-message").orElseThrow()).contains("does not speak HTTP/2 (h2c)");
        assertThat(stats.counterValues()).containsEntry("cluster.app.upstream_cx_protocol_error", 2L)
                .containsEntry("cluster.app.upstream_rq_total", 1L);
    }

    @Test
    void aClusterConfiguredForHttp2KeepsItAndTheErrorSaysWhatTheAppAnswered() throws Exception {
        TestBackend app = new TestBackend("http1-only");
        apps.add(app);
        int port = route(app.port(), ClusterConfig.UpstreamProtocol.HTTP2);

        HttpResponse<String> r = get(port, "/one");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("cluster app", "does not speak HTTP/2 (h2c)", "answered the connection preface with \"HTTP/1.1");
        assertThat(stats.counterValues()).containsEntry("cluster.app.upstream_cx_protocol_error", 1L)
                .containsEntry("cluster.app.upstream_rq_total", 0L);
    }

    @Test
    void aRequestWithNoBodyReachesTheAppWithNoBodyThroughTwoSidecars() throws Exception {
        TestBackend app = new TestBackend("http1-only");
        apps.add(app);
        int serverPort = route(app.port(), ClusterConfig.UpstreamProtocol.USE_DOWNSTREAM);
        // The client's sidecar, in front of the server's: HTTP/2 between them, as the client spoke it.
        SidecarProxy client = Proxies.proxy(ProxyOptions.DEFAULTS.withIoThreads(1), new Stats());
        apps.add(client::close);
        client.update(Configs.builder()
                .cluster(new ClusterConfig("server", ClusterConfig.LbPolicy.ROUND_ROBIN, 0, Duration.ofSeconds(2), null,
                        null, List.of(new Endpoint("127.0.0.1", serverPort, 1)), null,
                        ClusterConfig.UpstreamProtocol.USE_DOWNSTREAM))
                .host("*", "server").build());
        int port = client.port(Configs.OUTBOUND).orElseThrow();

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = get(port, "/headers");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).as("request %d", i).doesNotContain("transfer-encoding");
        }
        HttpResponse<String> post = this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/up"))
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(new byte[30_000])))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.body()).as("a body of unknown length still arrives, chunked").contains("received 30000 bytes");
    }

    /**
     * An HTTP/1.1 server that answers a request line of another HTTP version as Python's {@code http.server} does:
     * an error page without a status line, then it closes. Other requests get {@code ok METHOD PATH}, one per
     * connection.
     */
    private static final class ErrorPageOnPreface implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread acceptor;

        ErrorPageOnPreface() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofPlatform().daemon().name("error-page-app").start(this::serve);
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    s.setSoTimeout(10_000);
                    String head = readHead(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    String[] line = head.split("\r\n", 2)[0].split(" ");
                    if (line.length == 3 && !line[2].startsWith("HTTP/1.")) {
                        out.write("<!DOCTYPE HTML>\n<html><body>Error code: 505</body></html>\n".getBytes(StandardCharsets.US_ASCII));
                    } else {
                        byte[] body = ("ok " + line[0] + " " + line[1]).getBytes(StandardCharsets.US_ASCII);
                        out.write(("HTTP/1.1 200 OK\r\ncontent-length: " + body.length + "\r\nconnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.write(body);
                    }
                    out.flush();
                } catch (IOException e) {
                    // closed, or a client that went away: serve the next one
                }
            }
        }

        /** The request's head, up to the blank line (or to whatever came before the client stopped sending). */
        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int b;
            while (head.length() < 65_536 && (b = in.read()) >= 0) {
                head.append((char) b);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    break;
                }
            }
            return head.toString();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            acceptor.join(10_000);
        }
    }
}
