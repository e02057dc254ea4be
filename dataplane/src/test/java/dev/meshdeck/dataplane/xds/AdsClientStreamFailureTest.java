package dev.meshdeck.dataplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.dataplane.config.ProxyConfig;
import dev.meshdeck.dataplane.grpc.GrpcChannel;
import dev.meshdeck.dataplane.grpc.RawHttp2Server;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ADS client against a controller that misbehaves at the HTTP/2 level: it reopens its stream after an
 * RST_STREAM, and after a GOAWAY on a new connection, each time after its backoff.
 */
class AdsClientStreamFailureTest {
    private static final NodeIdentity NODE = new NodeIdentity("sidecar~127.0.0.1~productpage-v1.default",
            "productpage", "default", Map.of("version", "v1"), "127.0.0.1", 15006, 15001, 9080, null);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<ProxyConfig> published = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private RawHttp2Server server;
    private GrpcChannel channel;
    private AdsClient client;

    private void start(RawHttp2Server.Script script) {
        server = new RawHttp2Server(script);
        channel = GrpcChannel.forTarget(server.target(), AdsClient.CHANNEL_OPTIONS);
        client = new AdsClient(channel, NODE, published::add, scheduler, new Random(7),
                Duration.ofMillis(20), Duration.ofMillis(200));
        client.start();
    }

    @AfterEach
    void stop() {
        client.close();
        channel.close();
        scheduler.shutdownNow();
        server.close();
    }

    @Test
    void reopensTheStreamAfterTheControllerResetsIt() {
        start((ctx, h) -> ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM)));

        await().atMost(WAIT).until(() -> client.streamsOpened() >= 3 && server.requests.size() >= 3);
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(server.requests).allSatisfy(h ->
                assertThat(h.path()).hasToString("/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources"));
        assertThat(published).isEmpty();
    }

    @Test
    void reconnectsAfterTheControllerSendsGoAwayAndCloses() {
        start((ctx, h) -> ctx.channel().parent().writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR,
                Unpooled.copiedBuffer("restarting", StandardCharsets.UTF_8))).addListener(f -> ctx.channel().parent().close()));

        await().atMost(WAIT).until(() -> client.streamsOpened() >= 3 && server.connections.get() >= 3);
        assertThat(published).isEmpty();
    }
}
