package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.proxy.support.RawHttp2;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import dev.meshdeck.dataplane.stats.Stats;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A proxy's drain on real sockets: what is in flight finishes, connections then close, the drain ends with them. */
@ExtendWith(LeakGuard.class)
class ProxyDrainTest {
    private static final String DRAIN_CLOSE = "http.outbound.downstream_cx_drain_close";
    private final Stats stats = new Stats();
    private TestBackend app;
    private SidecarProxy proxy;
    private int port;

    @BeforeEach
    void start() {
        app = new TestBackend("v1");
        proxy = Proxies.proxy(ProxyOptions.DEFAULTS.withIoThreads(1), stats);
        proxy.update(Configs.builder().cluster(new ClusterConfig("c", ClusterConfig.LbPolicy.ROUND_ROBIN, 0,
                Duration.ofSeconds(2), null, null, List.of(new Endpoint("127.0.0.1", app.port(), 1)), null,
                ClusterConfig.UpstreamProtocol.HTTP1))
                .host("*", "c").build());
        port = proxy.port(Configs.OUTBOUND).orElseThrow();
    }

    @AfterEach
    void stop() {
        proxy.close();
        app.close();
    }

    private CompletableFuture<Boolean> drainInBackground(Duration limit) {
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return proxy.drain(limit);
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(proxy::draining);
        return drained;
    }

    /** Sends a POST whose body stops half way: the request stays in flight until {@link #finishUpload}. */
    private static void startUpload(RawHttp c, TestBackend app) throws Exception {
        c.send("POST /upload HTTP/1.1\r\nHost: c\r\nContent-Length: 10\r\n\r\n12345");
        await().atMost(Duration.ofSeconds(10)).until(() -> app.bodyBytes() == 5);
    }

    private static RawHttp.Response finishUpload(RawHttp c) throws Exception {
        c.send("67890");
        return c.read();
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAtOnceAndTheDrainEndsWithIt() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("c", "/").status()).isEqualTo(200);

            assertThat(proxy.drain(Duration.ofSeconds(30))).isTrue();

            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(stats.counterValues()).containsEntry(DRAIN_CLOSE, 1L);
    }

    @Test
    void aRequestInFlightIsAnsweredWithConnectionCloseAndThenItsConnectionEnds() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            startUpload(c, app);
            CompletableFuture<Boolean> drained = drainInBackground(Duration.ofSeconds(30));
            assertThat(proxy.clientConnections()).isEqualTo(1);

            RawHttp.Response r = finishUpload(c);

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers()).containsEntry("connection", "close");
            assertThat(r.body()).contains("received 10 bytes");
            assertThat(c.closedByServer()).isTrue();
            assertThat(drained.get(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aConnectionOpenedDuringTheDrainIsServedOnceThenClosed() throws Exception {
        try (RawHttp first = new RawHttp(port)) {
            startUpload(first, app);
            CompletableFuture<Boolean> drained = drainInBackground(Duration.ofSeconds(30));
            RawHttp late = new RawHttp(port);

            RawHttp.Response r = late.get("c", "/");

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers()).containsEntry("connection", "close");
            assertThat(late.closedByServer()).isTrue();
            late.close();
            assertThat(finishUpload(first).status()).isEqualTo(200);
            assertThat(drained.get(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(stats.counterValues()).containsEntry(DRAIN_CLOSE, 2L);
    }

    @Test
    void aRequestThatOutlastsTheDrainTimeIsLeftForCloseToCut() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            c.send("GET /slow HTTP/1.1\r\nHost: c\r\n\r\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> app.requests() == 1);

            assertThat(proxy.drain(Duration.ofMillis(200))).isFalse();

            assertThat(proxy.clientConnections()).isEqualTo(1);
            proxy.close();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void anHttp2ConnectionGetsGoAwayItsStreamInFlightFinishesAndThenItCloses() throws Exception {
        try (RawHttp2 c = new RawHttp2(port)) {
            // HPACK: :method POST (3), :scheme http (6), then literals without indexing on indexed names: :path
            // (4) /upload, :authority (1) c, content-length (28) 10.
            ByteArrayOutputStream headers = new ByteArrayOutputStream();
            headers.write(new byte[] {(byte) 0x83, (byte) 0x86, 0x04, 7});
            headers.write("/upload".getBytes(StandardCharsets.US_ASCII));
            headers.write(new byte[] {0x01, 1, 'c', 0x0f, 28 - 15, 2, '1', '0'});
            c.frame(RawHttp2.HEADERS, RawHttp2.END_HEADERS, 1, headers.toByteArray());
            c.frame(RawHttp2.DATA, 0, 1, "12345".getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(10)).until(() -> app.bodyBytes() == 5);

            CompletableFuture<Boolean> drained = drainInBackground(Duration.ofSeconds(30));
            assertThat(c.readUntil(RawHttp2.GOAWAY)).doesNotContain(RawHttp2.HEADERS);
            c.frame(RawHttp2.DATA, RawHttp2.END_STREAM, 1, "67890".getBytes(StandardCharsets.US_ASCII));

            assertThat(c.readUntil(-1)).contains(RawHttp2.HEADERS, RawHttp2.DATA);
            assertThat(drained.get(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(stats.counterValues()).containsEntry(DRAIN_CLOSE, 1L)
                .containsEntry("http.outbound.downstream_rq_2xx", 1L);
    }
}
