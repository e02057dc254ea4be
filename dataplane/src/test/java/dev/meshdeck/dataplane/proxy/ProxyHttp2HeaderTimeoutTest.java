package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import dev.meshdeck.dataplane.stats.Stats;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The header timeout on HTTP/2 client connections: raw frames on a real socket. */
@ExtendWith(LeakGuard.class)
class ProxyHttp2HeaderTimeoutTest {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};
    private final Stats stats = new Stats();
    private TestBackend app;
    private SidecarProxy proxy;
    private int port;

    /** A frame seen by the client: type and stream. */
    private record Frame(int type, int stream) {
    }

    @BeforeEach
    void start() {
        app = new TestBackend("app");
        proxy = Proxies.proxy(ProxyOptions.DEFAULTS.withIoThreads(1).withHeaderTimeout(Duration.ofMillis(300)), stats);
        proxy.update(Configs.builder().cluster("c", app.port()).host("c", "c").build());
        port = proxy.port(Configs.OUTBOUND).orElseThrow();
    }

    @AfterEach
    void stop() {
        proxy.close();
        app.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(30_000);
        return s;
    }

    @Test
    void aConnectionThatSendsThePrefaceButNoSettingsIsClosed() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(PREFACE);
            s.getOutputStream().flush();

            readFramesUntilClosed(new DataInputStream(s.getInputStream()));
        }
    }

    @Test
    void aStreamWhoseHeaderBlockNeverCompletesIsResetAndTheConnectionClosed() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(PREFACE);
            out.write(EMPTY_SETTINGS);
            // HEADERS on stream 1 without END_HEADERS (one HPACK byte: :method GET), and no CONTINUATION after it.
            out.write(new byte[] {0, 0, 1, 1, 0, 0, 0, 0, 1, (byte) 0x82});
            out.flush();

            List<Frame> frames = readFramesUntilClosed(new DataInputStream(s.getInputStream()));

            assertThat(frames).contains(new Frame(0x3, 1)); // RST_STREAM on stream 1
            assertThat(frames).extracting(Frame::type).contains(0x7); // then GOAWAY
        }
        assertThat(app.requests()).isZero();
    }

    @Test
    void aConnectionThatKeepsItsHeadersCompleteIsLeftAlone() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(PREFACE);
            out.write(EMPTY_SETTINGS);
            out.flush();
            List<Frame> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
            DataInputStream in = new DataInputStream(s.getInputStream());
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        frames.add(readFrame(in));
                    }
                } catch (IOException e) {
                    closed.set(true);
                }
            });
            // Three header timeouts with nothing in flight: no GOAWAY, no reset, not closed, throughout.
            await().during(Duration.ofMillis(900)).atMost(Duration.ofSeconds(10)).until(() -> !closed.get()
                    && frames.stream().noneMatch(f -> f.type() == 0x7 || f.type() == 0x3));

            out.write(new byte[] {0, 0, 0, 4, 1, 0, 0, 0, 0}); // SETTINGS ACK: still accepted
            out.write(new byte[] {0, 0, 8, 6, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8}); // PING
            out.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> closed.get()
                    || frames.stream().anyMatch(f -> f.type() == 0x6));
            assertThat(frames).extracting(Frame::type).contains(0x6).doesNotContain(0x7, 0x3);
        }
    }

    private static Frame readFrame(DataInputStream in) throws IOException {
        int length = in.readUnsignedByte() << 16 | in.readUnsignedShort();
        int type = in.readUnsignedByte();
        in.readUnsignedByte();
        int stream = in.readInt() & 0x7FFFFFFF;
        in.readNBytes(length);
        return new Frame(type, stream);
    }

    private static List<Frame> readFramesUntilClosed(DataInputStream in) throws IOException {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            try {
                frames.add(readFrame(in));
            } catch (EOFException | SocketException e) {
                return frames;
            }
        }
        throw new AssertionError("more than 100 frames and still open: " + frames);
    }
}
