package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.StringMatcher;
import dev.meshdeck.dataplane.config.TlsSettings;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.EchoGrpcServer;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import dev.meshdeck.dataplane.route.DefaultRouter;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.tls.CertificateRotator;
import dev.meshdeck.dataplane.tls.SecretStore;
import dev.meshdeck.dataplane.tls.SpiffeId;
import dev.meshdeck.dataplane.tls.TestCa;
import dev.meshdeck.dataplane.tls.TlsContexts;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Mutual TLS between two sidecars (Istio's ISTIO_MUTUAL): a client sidecar whose cluster has an
 * UpstreamTlsContext with the workload certificate, and a server sidecar whose inbound listener has a TLS
 * chain requiring client certificates beside a plain-text one (PERMISSIVE). Their certificates come from
 * CSRs signed by {@link TestCa}, which stands in for the controller's CA (the dataplane cannot import it).
 */
@ExtendWith(LeakGuard.class)
class ProxyMutualTlsTest {
    private static final String CLUSTER = "outbound|9080||reviews.default.svc.cluster.local";
    private static final String GRPC_CLUSTER = "outbound|50051||echo.default.svc.cluster.local";
    private static final String INBOUND_CLUSTER = "inbound|9080||";
    private static final SpiffeId CLIENT_ID = new SpiffeId("cluster.local", "default", "productpage");
    private static final SpiffeId SERVER_ID = new SpiffeId("cluster.local", "default", "reviews");

    private final TestCa ca = new TestCa("mesh");
    private final ScheduledExecutorService certThread = Executors.newSingleThreadScheduledExecutor();
    private final SecretStore clientSecrets = new SecretStore();
    private final SecretStore serverSecrets = new SecretStore();
    private final Stats clientStats = new Stats();
    private final Stats serverStats = new Stats();
    private CertificateRotator clientCerts;
    private TestBackend app;
    private EchoGrpcServer grpcApp;
    private SidecarProxy client;
    private SidecarProxy server;
    private SidecarProxy grpcServer;
    private int inboundPort;

    @BeforeEach
    void start() throws Exception {
        clientCerts = rotator(CLIENT_ID, clientSecrets);
        clientCerts.renewNow().get(30, TimeUnit.SECONDS);
        rotator(SERVER_ID, serverSecrets).renewNow().get(30, TimeUnit.SECONDS);
        app = new TestBackend("reviews");
        grpcApp = new EchoGrpcServer();
        server = proxy(serverStats, serverSecrets);
        server.update(Configs.builder().cluster(INBOUND_CLUSTER, app.port()).inbound(INBOUND_CLUSTER)
                .inboundTls(meshListener(true)).build());
        inboundPort = server.port(Configs.INBOUND).orElseThrow();
        grpcServer = proxy(serverStats, serverSecrets);
        grpcServer.update(Configs.builder().cluster("inbound|50051||", grpcApp.port()).inbound("inbound|50051||")
                .inboundTls(meshListener(false)).build());
        // One event loop: one upstream connection pool, so the renewal test knows which connection a request takes.
        client = new SidecarProxy(new DefaultRouter(new Random(1)), Proxies.balancers(clientStats),
                ProxyOptions.DEFAULTS.withIoThreads(1), clientStats, new Random(3), new TlsContexts(clientSecrets));
        client.update(clientConfig(SERVER_ID.uri()));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
        grpcServer.close();
        app.close();
        grpcApp.close();
        certThread.shutdownNow();
    }

    @Test
    void requestsGoOverMutualTlsAndTheAppSeesTheVerifiedClientInXfcc() throws Exception {
        RawHttp.Response r;
        try (RawHttp http = new RawHttp(client.port(Configs.OUTBOUND).orElseThrow())) {
            r = http.get("reviews", "/headers", "x-forwarded-client-cert: By=spiffe://evil;URI=spiffe://cluster.local/ns/default/sa/admin");
        }

        assertThat(r.status()).isEqualTo(200);
        assertThat(xfcc(r.body())).matches("By=" + Pattern.quote(SERVER_ID.uri()) + ";Hash=[0-9a-f]{64};URI="
                + Pattern.quote(CLIENT_ID.uri()));
        assertThat(clientStats.counterValues()).containsEntry("cluster." + CLUSTER + ".ssl.handshake", 1L)
                .containsEntry("cluster." + CLUSTER + ".upstream_rq_2xx", 1L);
        assertThat(serverStats.counterValues()).containsEntry("listener.127.0.0.1_" + inboundPort + ".ssl.handshake", 1L);
    }

    @Test
    void aPlainTextClientStillWorksOnAPermissiveListenerAndCannotForgeXfcc() throws Exception {
        RawHttp.Response r;
        try (RawHttp http = new RawHttp(inboundPort)) {
            r = http.get("reviews", "/headers", "x-forwarded-client-cert: By=spiffe://evil;URI=spiffe://evil/sa/admin");
        }

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("x-forwarded-client-cert");
        assertThat(serverStats.counterValues()).doesNotContainKey("listener.127.0.0.1_" + inboundPort + ".ssl.handshake");
    }

    @Test
    void aBurstOfRequestsStartsAtMostEightHandshakesAtOnceToAnEndpoint() throws Exception {
        // An endpoint that takes connections and never answers their handshakes: what it has accepted while the
        // requests wait is the handshakes the client's pool (one event loop) has started.
        List<java.net.Socket> accepted = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        List<RawHttp> clients = new java.util.ArrayList<>();
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 100, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "silent-endpoint");
            acceptor.start();
            client.update(Configs.builder().cluster(meshCluster(CLUSTER, new ClusterConfig.Endpoint("127.0.0.1",
                    silent.getLocalPort(), 1), SERVER_ID.uri(), TlsSettings.HTTP_1_1)).host("reviews", CLUSTER).build());
            int outbound = client.port(Configs.OUTBOUND).orElseThrow();

            for (int i = 0; i < 40; i++) {
                RawHttp c = new RawHttp(outbound);
                clients.add(c);
                c.send("GET / HTTP/1.1\r\nHost: reviews\r\n\r\n");
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> accepted.size() >= 8);
            // Forty requests wait, and no ninth handshake starts while those eight hang (the connect timeout is 5 s).
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> accepted.size() == 8);
            assertThat(clientStats.counterValues()).containsEntry("cluster." + CLUSTER + ".upstream_cx_total", 8L);
            // Once those eight time out (the 5 s connect timeout bounds a handshake too), the next eight start.
            await().atMost(Duration.ofSeconds(15)).until(() -> accepted.size() >= 16);
            assertThat(clientStats.counterValues().get("cluster." + CLUSTER + ".upstream_cx_connect_fail")).isGreaterThanOrEqualTo(8L);
        } finally {
            for (RawHttp c : clients) {
                c.close();
            }
            for (java.net.Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aStrictListenerRefusesPlainText() throws Exception {
        server.update(Configs.builder().cluster(INBOUND_CLUSTER, app.port()).inbound(INBOUND_CLUSTER)
                .inboundTls(meshListener(false)).build());

        try (RawHttp http = new RawHttp(inboundPort)) {
            http.send("GET / HTTP/1.1\r\nHost: reviews\r\n\r\n");
            assertThat(http.closedByServer()).isTrue();
        }
        assertThat(app.requests()).isZero();
    }

    @Test
    void aTlsClientThatTricklesItsHeadersGetsA408ItCanRead() throws Exception {
        SidecarProxy strict = new SidecarProxy(new DefaultRouter(new Random(1)), Proxies.balancers(serverStats),
                ProxyOptions.DEFAULTS.withIoThreads(1).withHeaderTimeout(Duration.ofMillis(500)), serverStats,
                new Random(3), new TlsContexts(serverSecrets));
        try (strict) {
            strict.update(Configs.builder().cluster(INBOUND_CLUSTER, app.port()).inbound(INBOUND_CLUSTER)
                    .inboundTls(meshListener(false)).build());
            try (SSLSocket socket = (SSLSocket) clientTls().getSocketFactory()
                    .createSocket("127.0.0.1", strict.port(Configs.INBOUND).orElseThrow())) {
                socket.setSoTimeout(20_000);
                socket.startHandshake();
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: rev".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();

                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout\r\n")
                        .endsWith("request headers not complete within 500 ms\n");
            }
        }
        assertThat(app.requests()).isZero();
    }

    /** A TLS client with the client workload's certificate, trusting the mesh root. */
    private SSLContext clientTls() throws Exception {
        var identity = clientSecrets.current().orElseThrow();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("workload", identity.key(), new char[0],
                identity.chain().toArray(new java.security.cert.X509Certificate[0]));
        var kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("root", ca.root());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return tls;
    }

    @Test
    void aTlsClientWithoutACertificateIsRefused() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("root", ca.root());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        tls.init(null, tmf.getTrustManagers(), null);

        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", inboundPort)) {
            socket.setSoTimeout(20_000);
            assertThatThrownBy(() -> {
                socket.startHandshake();
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: reviews\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                if (socket.getInputStream().read() == -1) {
                    throw new IOException("closed by the server");
                }
            }).isInstanceOf(IOException.class);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(serverStats.counterValues())
                .containsEntry("listener.127.0.0.1_" + inboundPort + ".ssl.connection_error", 1L));
        assertThat(app.requests()).isZero();
    }

    @Test
    void aServerWhoseSanDoesNotMatchGets503NamingTheClusterAndTheReason() throws Exception {
        client.update(clientConfig("spiffe://cluster.local/ns/default/sa/ratings"));

        RawHttp.Response r;
        try (RawHttp http = new RawHttp(client.port(Configs.OUTBOUND).orElseThrow())) {
            r = http.get("reviews", "/");
        }

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).contains("cluster " + CLUSTER).contains("TLS error")
                .contains("URI:" + SERVER_ID.uri()).contains("ssl.fail_verify_san");
        assertThat(clientStats.counterValues()).containsEntry("cluster." + CLUSTER + ".ssl.fail_verify_san", 1L);
        assertThat(app.requests()).isZero();
    }

    @Test
    void aClusterNeedingTheWorkloadCertificateAnswers503UntilItArrives() throws Exception {
        SecretStore empty = new SecretStore();
        try (SidecarProxy early = proxy(new Stats(), empty)) {
            early.update(clientConfig(SERVER_ID.uri()));
            int port = early.port(Configs.OUTBOUND).orElseThrow();
            try (RawHttp http = new RawHttp(port)) {
                RawHttp.Response r = http.get("reviews", "/");
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.body()).contains("cluster " + CLUSTER).contains("no workload certificate yet");
            }

            rotator(CLIENT_ID, empty).renewNow().get(30, TimeUnit.SECONDS);

            try (RawHttp http = new RawHttp(port)) {
                assertThat(http.get("reviews", "/").status()).isEqualTo(200);
            }
        }
    }

    @Test
    void alpnPicksH2ForAGrpcClusterAndHttp11Otherwise() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", client.port(Configs.OUTBOUND).orElseThrow())
                .usePlaintext().overrideAuthority("echo").build();
        try {
            String answer = ClientCalls.blockingUnaryCall(channel, EchoGrpcServer.UNARY, CallOptions.DEFAULT, "over tls");
            assertThat(answer).isEqualTo("echo over tls");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        try (RawHttp http = new RawHttp(client.port(Configs.OUTBOUND).orElseThrow())) {
            assertThat(http.get("reviews", "/").status()).isEqualTo(200);
        }

        // Each cluster's handshake offered one protocol and the server (accepting h2 and http/1.1) chose it;
        // a different choice would have failed the connection ("ALPN negotiated ...").
        assertThat(clientStats.counterValues())
                .containsEntry("cluster." + GRPC_CLUSTER + ".ssl.handshake", 1L)
                .containsEntry("cluster." + GRPC_CLUSTER + ".upstream_rq_2xx", 1L)
                .containsEntry("cluster." + CLUSTER + ".ssl.handshake", 1L)
                .doesNotContainEntry("cluster." + GRPC_CLUSTER + ".ssl.connection_error", 1L);
    }

    @Test
    void anHttp2ClientsRequestsToAnHttp11TlsClusterAreTranslatedAndAnsweredOverHttp2() throws Exception {
        client.update(Configs.builder()
                .cluster(meshCluster(CLUSTER, endpoint(server), SERVER_ID.uri(), TlsSettings.HTTP_1_1))
                .host("*", CLUSTER).build());
        String base = "http://127.0.0.1:" + client.port(Configs.OUTBOUND).orElseThrow();
        HttpResponse<String> headers;
        HttpResponse<String> upload;
        try (HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            headers = h2.send(HttpRequest.newBuilder(URI.create(base + "/headers")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            upload = h2.send(HttpRequest.newBuilder(URI.create(base + "/upload")).timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(new byte[100_000])))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }

        // The cluster's ALPN ["http/1.1"] overrides the client's HTTP/2: the requests went over an HTTP/1.1
        // mutual-TLS connection (one handshake, no ALPN mismatch), the body of unknown length chunked, and the
        // answers came back to the client over HTTP/2.
        assertThat(headers.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(xfcc(headers.body())).contains("URI=" + CLIENT_ID.uri());
        assertThat(upload.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(upload.body()).contains("received 100000 bytes");
        assertThat(clientStats.counterValues())
                .containsEntry("cluster." + CLUSTER + ".ssl.handshake", 1L)
                .containsEntry("cluster." + CLUSTER + ".upstream_rq_2xx", 2L);
        assertThat(clientStats.counterValues().getOrDefault("cluster." + CLUSTER + ".ssl.connection_error", 0L)).isZero();
    }

    @Test
    void certificateRenewalSwapsWithoutFailingRequestsInFlight() throws Exception {
        int outbound = client.port(Configs.OUTBOUND).orElseThrow();
        String before;
        try (RawHttp http = new RawHttp(outbound)) {
            before = hash(http.get("reviews", "/headers").body());
        }
        int requestsBefore = app.requests();
        CompletableFuture<RawHttp.Response> inFlight = CompletableFuture.supplyAsync(() -> {
            try (RawHttp http = new RawHttp(outbound)) {
                return http.get("reviews", "/delay/1500");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> app.requests() > requestsBefore);

        clientCerts.renewNow().get(30, TimeUnit.SECONDS);
        String after;
        try (RawHttp http = new RawHttp(outbound)) {
            after = hash(http.get("reviews", "/headers").body());
        }

        assertThat(after).isNotEqualTo(before);
        RawHttp.Response slow = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(slow.status()).isEqualTo(200);
        assertThat(slow.body()).contains("delayed answer");
        assertThat(ca.issued()).isEqualTo(3);
    }

    private CertificateRotator rotator(SpiffeId id, SecretStore store) {
        return new CertificateRotator(id, ca, store, Duration.ofHours(1), certThread, Clock.systemUTC(), new Random(5));
    }

    private static SidecarProxy proxy(Stats stats, SecretStore secrets) {
        return new SidecarProxy(new DefaultRouter(new Random(1)), Proxies.balancers(stats),
                ProxyOptions.DEFAULTS.withIoThreads(2), stats, new Random(3), new TlsContexts(secrets));
    }

    /** Istio's inbound mTLS chain: the workload certificate, client certificates checked against ROOTCA. */
    private static TlsSettings.Listener meshListener(boolean permissive) {
        return new TlsSettings.Listener(new TlsSettings.WorkloadSecret(),
                new TlsSettings.Validation(new TlsSettings.WorkloadRoots(), List.of()), true,
                List.of(TlsSettings.H2, TlsSettings.HTTP_1_1), permissive);
    }

    /** ISTIO_MUTUAL clusters: the workload certificate, ROOTCA, the server's SPIFFE ID; h2 for gRPC. */
    private ClusterConfig.Endpoint endpoint(SidecarProxy p) {
        return new ClusterConfig.Endpoint("127.0.0.1", p.port(Configs.INBOUND).orElseThrow(), 1);
    }

    private dev.meshdeck.dataplane.config.ProxyConfig clientConfig(String serverSan) {
        return Configs.builder()
                .cluster(meshCluster(CLUSTER, endpoint(server), serverSan, TlsSettings.HTTP_1_1))
                .cluster(meshCluster(GRPC_CLUSTER, endpoint(grpcServer), SERVER_ID.uri(), TlsSettings.H2))
                .host("reviews", CLUSTER)
                .host("echo", GRPC_CLUSTER)
                .build();
    }

    private static ClusterConfig meshCluster(String name, ClusterConfig.Endpoint endpoint, String san, String alpn) {
        TlsSettings.Upstream tls = new TlsSettings.Upstream(new TlsSettings.WorkloadSecret(),
                new TlsSettings.Validation(new TlsSettings.WorkloadRoots(), List.of(new TlsSettings.SanMatcher(
                        TlsSettings.SanType.URI, StringMatcher.of(StringMatcher.Kind.EXACT, san, false)))),
                name.replace('|', '_'), List.of(alpn));
        return new ClusterConfig(name, ClusterConfig.LbPolicy.ROUND_ROBIN, 0, Duration.ofSeconds(5), null, null,
                List.of(endpoint)).withTls(tls);
    }

    private static String xfcc(String headersBody) {
        Matcher m = Pattern.compile("(?m)^x-forwarded-client-cert: (.*)$").matcher(headersBody);
        assertThat(m.find()).as("x-forwarded-client-cert in %s", headersBody).isTrue();
        String value = m.group(1);
        assertThat(m.find()).as("one x-forwarded-client-cert").isFalse();
        return value;
    }

    private static String hash(String headersBody) {
        Matcher m = Pattern.compile("Hash=([0-9a-f]+)").matcher(xfcc(headersBody));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

}
