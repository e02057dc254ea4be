package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import dev.meshdeck.dataplane.proxy.support.WebSocketEchoServer;
import dev.meshdeck.dataplane.stats.Stats;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** WebSocket upgrades over HTTP/1.1: the 101 goes to the client, then bytes are relayed both ways. */
@ExtendWith(LeakGuard.class)
class ProxyWebSocketTest {
    private static final String HANDSHAKE = "GET /ws HTTP/1.1\r\nHost: ws\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private final Stats stats = new Stats();
    private WebSocketEchoServer ws;
    private TestBackend plain;
    private SidecarProxy proxy;
    private int outbound;

    @BeforeEach
    void start() {
        ws = new WebSocketEchoServer();
        plain = new TestBackend("plain");
        proxy = Proxies.proxy(ProxyOptions.DEFAULTS, stats);
        proxy.update(Configs.builder().cluster("ws", ws.port()).cluster("plain", plain.port())
                .host("ws", "ws").host("plain", "plain").build());
        outbound = proxy.port(Configs.OUTBOUND).orElseThrow();
    }

    @AfterEach
    void stop() {
        proxy.close();
        ws.close();
        plain.close();
    }

    @Test
    void relaysAWebSocketSessionAfterTheUpstreamsSwitchingProtocols() throws Exception {
        try (Socket s = new Socket("127.0.0.1", outbound)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(HANDSHAKE.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101")
                    .containsIgnoringCase("upgrade: websocket")
                    .containsIgnoringCase("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");

            for (String m : new String[] {"hello", "again"}) {
                writeFrame(out, 0x1, m.getBytes(StandardCharsets.UTF_8));
                byte[] answer = readFrame(in, 0x1);
                assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("echo " + m);
            }

            // A message far larger than one read: relayed chunk by chunk, both ways.
            byte[] big = new byte[512 * 1024];
            new Random(5).nextBytes(big);
            writeFrame(out, 0x2, big);
            assertThat(Arrays.equals(readFrame(in, 0x2), big)).isTrue();

            // Close handshake: the server answers and closes; the proxy closes the client side after it.
            writeFrame(out, 0x8, new byte[0]);
            readFrame(in, 0x8);
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(stats.counterValues()).containsEntry("http.outbound.downstream_rq_1xx", 1L)
                .containsEntry("cluster.ws.upstream_rq_1xx", 1L);
        await().until(() -> proxy.upstreamConnections("ws").orElseThrow() == 0);
    }

    @Test
    void aClientClosingTheUpgradedConnectionClosesTheUpstreamOne() throws Exception {
        try (Socket s = new Socket("127.0.0.1", outbound)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(HANDSHAKE.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readHead(new DataInputStream(s.getInputStream()))).startsWith("HTTP/1.1 101");
            assertThat(proxy.upstreamConnections("ws")).hasValue(1);
        }
        await().until(() -> proxy.upstreamConnections("ws").orElseThrow() == 0);
    }

    @Test
    void anUpgradeTheUpstreamRefusesIsAnOrdinaryAnswer() throws Exception {
        try (Socket s = new Socket("127.0.0.1", outbound)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(HANDSHAKE.replace("Host: ws", "Host: plain").getBytes(StandardCharsets.ISO_8859_1));
            String head = readHead(new DataInputStream(s.getInputStream()));
            assertThat(head).startsWith("HTTP/1.1 200").contains("x-backend: plain");
        }
    }

    private static String readHead(DataInputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed before the end of the head: " + b);
            }
            b.write(c);
            byte[] a = b.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** A client frame: FIN, the opcode, masked (as RFC 6455 requires of clients). */
    private static void writeFrame(OutputStream out, int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        int n = payload.length;
        if (n < 126) {
            f.write(0x80 | n);
        } else if (n < 65536) {
            f.write(0x80 | 126);
            f.write(n >>> 8);
            f.write(n);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) n >>> (8 * i)));
            }
        }
        byte[] mask = {1, 2, 3, 4};
        f.write(mask);
        for (int i = 0; i < n; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    /** A server frame (unmasked, unfragmented) with the expected opcode; its payload. */
    private static byte[] readFrame(DataInputStream in, int opcode) throws IOException {
        int b0 = in.readUnsignedByte();
        assertThat(b0 & 0x0f).isEqualTo(opcode);
        int b1 = in.readUnsignedByte();
        long n = b1 & 0x7f;
        if (n == 126) {
            n = in.readUnsignedShort();
        } else if (n == 127) {
            n = in.readLong();
        }
        byte[] payload = new byte[(int) n];
        in.readFully(payload);
        return payload;
    }
}
