package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bodies stream through the proxy in both directions with backpressure: the Netty buffers in use (proxy
 * and backend together) stay far below the body's size.
 */
@ExtendWith(LeakGuard.class)
class ProxyStreamingTest {
    private final Stats stats = new Stats();
    private static final long MB = 1024 * 1024;
    private static final long BUFFER_BUDGET = 32 * MB;

    private TestBackend backend;
    private SidecarProxy proxy;
    private HttpClient client;
    private ScheduledExecutorService sampler;
    private final AtomicLong peakBufferBytes = new AtomicLong();

    @BeforeEach
    void start() {
        backend = new TestBackend("files");
        proxy = Proxies.proxy(ProxyOptions.DEFAULTS, stats);
        proxy.update(Configs.builder().cluster("files", backend.port()).host("files", "files").build());
        client = HttpClient.newBuilder().proxy(ProxySelector.of(
                new InetSocketAddress("127.0.0.1", proxy.port(Configs.OUTBOUND).orElseThrow()))).build();
        // Netty's default allocator (adaptive in 4.2) reports the memory its buffers hold.
        ByteBufAllocatorMetric metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peakBufferBytes.accumulateAndGet(
                metric.usedDirectMemory() + metric.usedHeapMemory(), Math::max), 0, 5, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        sampler.shutdownNow();
        client.close();
        proxy.close();
        backend.close();
    }

    @Test
    void streamsA200MbUploadWithoutHoldingIt() throws Exception {
        long size = 200 * MB;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://files/upload"))
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new ZeroStream(size)), size))
                .build();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("received " + size + " bytes");
        assertThat(backend.bodyBytes()).isEqualTo(size);
        assertThat(peakBufferBytes.get()).isLessThan(BUFFER_BUDGET);
    }

    @Test
    void streamsAChunkedUploadOfUnknownLength() throws Exception {
        long size = 20 * MB + 17;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://files/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ZeroStream(size)))
                .build();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("received " + size + " bytes");
    }

    @Test
    void streamsA200MbDownloadToASlowReaderWithoutHoldingIt() throws Exception {
        long size = 200 * MB;
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create("http://files/download/" + size)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        long total = 0;
        byte[] buf = new byte[8192];
        try (InputStream in = r.body()) {
            int n;
            while ((n = in.read(buf)) != -1) {
                total += n;
            }
        }
        assertThat(total).isEqualTo(size);
        assertThat(peakBufferBytes.get()).isLessThan(BUFFER_BUDGET);
    }

    @Test
    void sendsTheHeadOfAnAnswerBeforeItsBodyComes() throws Exception {
        // An event stream: the app sends its head at once and its first event much later (here: after the test).
        try (RawHttp raw = new RawHttp(proxy.port(Configs.OUTBOUND).orElseThrow())) {
            raw.send("GET /head-then-body-after/600000 HTTP/1.1\r\nHost: files\r\n\r\n");
            RawHttp.Response head = raw.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers()).containsEntry("x-backend", "files").containsEntry("transfer-encoding", "chunked");
        }
    }

    @Test
    void closesTheClientsConnectionWhenTheUpstreamEndsAfterTheHeadOfItsAnswer() throws Exception {
        try (RawHttp raw = new RawHttp(proxy.port(Configs.OUTBOUND).orElseThrow())) {
            raw.send("GET /head-then-close HTTP/1.1\r\nHost: files\r\n\r\n");
            assertThat(raw.readHead().headers()).containsEntry("content-length", "100");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    /** {@code size} zero bytes, made as they are read. */
    private static final class ZeroStream extends InputStream {
        private long remaining;

        ZeroStream(long size) {
            this.remaining = size;
        }

        @Override
        public int read() {
            if (remaining == 0) {
                return -1;
            }
            remaining--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            remaining -= n;
            return n;
        }
    }
}
