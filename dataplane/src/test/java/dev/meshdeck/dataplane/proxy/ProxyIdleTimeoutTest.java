package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import dev.meshdeck.dataplane.stats.Stats;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Idle timeouts of client connections (the listener's) and pooled upstream connections (the cluster's). */
@ExtendWith(LeakGuard.class)
class ProxyIdleTimeoutTest {
    private static final Duration IDLE = Duration.ofMillis(300);
    private final Stats stats = new Stats();
    private TestBackend app;
    private SidecarProxy proxy;

    @BeforeEach
    void start() {
        app = new TestBackend("app");
        proxy = Proxies.proxy(ProxyOptions.DEFAULTS.withIoThreads(1), stats);
    }

    @AfterEach
    void stop() {
        proxy.close();
        app.close();
    }

    private int listen(Duration listenerIdle, Duration clusterIdle) {
        proxy.update(Configs.builder().idleTimeout(listenerIdle)
                .cluster(new ClusterConfig("c", ClusterConfig.LbPolicy.ROUND_ROBIN, 0, Duration.ofSeconds(2), null,
                        null, List.of(new Endpoint("127.0.0.1", app.port(), 1)), clusterIdle, null))
                .host("c", "c").build());
        return proxy.port(Configs.OUTBOUND).orElseThrow();
    }

    private Map<String, Long> counters() {
        return stats.counterValues();
    }

    @Test
    void aKeptAliveClientConnectionIdleLongerThanTheTimeoutIsClosed() throws Exception {
        int port = listen(IDLE, Duration.ZERO);
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("c", "/").status()).isEqualTo(200);

            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(counters()).containsEntry("http.outbound.downstream_cx_idle_timeout", 1L);
    }

    @Test
    void aClientConnectionWithARequestInFlightIsNeverIdle() throws Exception {
        int port = listen(IDLE, Duration.ZERO);
        try (RawHttp c = new RawHttp(port)) {
            c.send("POST /upload HTTP/1.1\r\nHost: c\r\nContent-Length: 10\r\n\r\n12345");
            await().until(() -> app.bodyBytes() == 5);
            // silent both ways for three idle timeouts, and no idle timeout counted all that time
            await().during(IDLE.multipliedBy(3)).atMost(IDLE.multipliedBy(3).plusSeconds(10))
                    .until(() -> counters().getOrDefault("http.outbound.downstream_cx_idle_timeout", 0L) == 0L);
            c.send("67890");

            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("received 10 bytes");
        }
        assertThat(counters().getOrDefault("http.outbound.downstream_cx_idle_timeout", 0L)).isZero();
    }

    @Test
    void anIdleHttp2ClientConnectionGetsAGoAwayAndIsClosed() throws Exception {
        int port = listen(IDLE, Duration.ZERO);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame
            out.flush();

            List<Integer> frameTypes = readFramesUntilClosed(new DataInputStream(s.getInputStream()));

            assertThat(frameTypes).contains(0x7); // GOAWAY
            assertThat(frameTypes.get(frameTypes.size() - 1)).isEqualTo(0x7);
        }
        assertThat(counters()).containsEntry("http.outbound.downstream_cx_idle_timeout", 1L);
    }

    private static List<Integer> readFramesUntilClosed(DataInputStream in) throws IOException {
        List<Integer> types = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int length;
            try {
                length = in.readUnsignedByte() << 16 | in.readUnsignedShort();
            } catch (EOFException e) {
                return types;
            }
            types.add(in.readUnsignedByte());
            in.readUnsignedByte();
            in.readInt();
            in.readNBytes(length);
        }
        throw new AssertionError("more than 100 frames: " + types);
    }

    @Test
    void aPooledUpstreamConnectionIdleLongerThanTheClustersTimeoutIsClosedAndLeavesThePool() throws Exception {
        int port = listen(Duration.ZERO, IDLE);
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("c", "/").status()).isEqualTo(200);
            assertThat(app.openConnections()).isEqualTo(1);

            await().until(() -> app.openConnections() == 0);
            await().until(() -> proxy.upstreamConnections("c").orElseThrow() == 0);

            // The client connection (no listener timeout) is still open, and the next request opens a new connection.
            assertThat(c.get("c", "/").status()).isEqualTo(200);
        }
        assertThat(app.connections()).isEqualTo(2);
        assertThat(counters()).containsEntry("cluster.c.upstream_cx_idle_timeout", 1L);
    }

    @Test
    void aPooledConnectionBusyWithARequestIsNeverIdle() throws Exception {
        int port = listen(Duration.ZERO, IDLE);
        try (RawHttp c = new RawHttp(port)) {
            c.send("POST /upload HTTP/1.1\r\nHost: c\r\nContent-Length: 10\r\n\r\n12345");
            await().until(() -> app.bodyBytes() == 5);
            await().during(IDLE.multipliedBy(3)).atMost(IDLE.multipliedBy(3).plusSeconds(10))
                    .until(() -> counters().getOrDefault("cluster.c.upstream_cx_idle_timeout", 0L) == 0L);
            c.send("67890");

            assertThat(c.read().status()).isEqualTo(200);
        }
        assertThat(app.connections()).isEqualTo(1);
    }
}
