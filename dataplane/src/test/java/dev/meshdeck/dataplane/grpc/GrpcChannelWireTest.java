package dev.meshdeck.dataplane.grpc;

import static dev.meshdeck.dataplane.grpc.RawHttp2Server.data;
import static dev.meshdeck.dataplane.grpc.RawHttp2Server.framed;
import static dev.meshdeck.dataplane.grpc.RawHttp2Server.headers;
import static dev.meshdeck.dataplane.grpc.RawHttp2Server.okHeaders;
import static dev.meshdeck.dataplane.grpc.RawHttp2Server.trailers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.dataplane.grpc.Calls.Recorder;
import dev.meshdeck.dataplane.grpc.GrpcStatus.Code;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gRPC client against a raw HTTP/2 server that answers byte by byte as each test scripts it: framing
 * across DATA frames, trailers-only answers, percent-encoded messages, HTTP errors, resets, GOAWAY, oversize
 * and compressed messages, cancellation, deadlines, keepalive and outbound flow control.
 */
class GrpcChannelWireTest {
    private static final GrpcMethod<String, String> CHAT = Calls.stringMethod("test.Echo/Chat");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private RawHttp2Server server;
    private GrpcChannel channel;

    private void serve(RawHttp2Server.Script script) {
        server = new RawHttp2Server(script);
        channel = GrpcChannel.forTarget(server.target(), GrpcChannelOptions.DEFAULTS);
    }

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Recorder<String> call(String... messages) {
        Recorder<String> r = new Recorder<>();
        GrpcCall<String> call = channel.start(CHAT, null, r);
        for (String m : messages) {
            call.send(m);
        }
        call.halfClose();
        return r;
    }

    @Test
    void sendsTheRequestHeadersGrpcRequiresAndTheFramedMessages() {
        serve((ctx, h) -> {
            if (h.isEndStream()) {
                headers(ctx, okHeaders().add("grpc-status", "0"), true);
            }
        });
        server.close();
        server = new RawHttp2Server(new RawHttp2Server.Script() {
            @Override
            public void onHeaders(io.netty.channel.ChannelHandlerContext ctx, io.netty.handler.codec.http2.Http2HeadersFrame h) {
            }

            @Override
            public void onData(io.netty.channel.ChannelHandlerContext ctx, io.netty.handler.codec.http2.Http2DataFrame d) {
                if (d.isEndStream()) {
                    headers(ctx, okHeaders(), false);
                    data(ctx, framed("pong"));
                    headers(ctx, trailers(0, null), true);
                }
            }
        });
        channel.close();
        channel = GrpcChannel.forTarget(server.target(), GrpcChannelOptions.DEFAULTS);

        String response = channel.blockingUnary(CHAT, "ping", Duration.ofSeconds(30));

        assertThat(response).isEqualTo("pong");
        Http2Headers h = server.requests.getFirst();
        assertThat(h.method()).hasToString("POST");
        assertThat(h.scheme()).hasToString("http");
        assertThat(h.path()).hasToString("/test.Echo/Chat");
        assertThat(h.authority()).hasToString(server.target());
        assertThat(h.get("content-type")).hasToString("application/grpc");
        assertThat(h.get("te")).hasToString("trailers");
        assertThat(h.get("user-agent").toString()).startsWith("meshdeck-grpc/");
        assertThat(h.get("grpc-timeout").toString()).matches("[0-9]{1,8}[num]");
        assertThat(h.get("grpc-encoding")).isNull();
        assertThat(server.bodies.getFirst()).isEqualTo(new byte[] {0, 0, 0, 0, 4, 'p', 'i', 'n', 'g'});
    }

    @Test
    void readsAMessageSplitAcrossDataFramesAndSeveralMessagesInOneFrame() {
        serve((ctx, h) -> {
            headers(ctx, okHeaders(), false);
            ByteBuf first = framed("a message in three frames");
            data(ctx, first.readRetainedSlice(2)); // inside the 5-byte prefix
            data(ctx, first.readRetainedSlice(10));
            data(ctx, first); // the rest
            data(ctx, framed("two", "in one", "frame"));
            headers(ctx, trailers(0, null), true);
        });

        Recorder<String> r = call();

        assertThat(r.status().code()).isEqualTo(Code.OK);
        assertThat(r.messages).containsExactly("a message in three frames", "two", "in one", "frame");
        assertThat(r.threads).allSatisfy(t -> assertThat(t).startsWith("meshdeck-grpc"));
    }

    @Test
    void reportsTheStatusOfATrailersOnlyResponse() {
        serve((ctx, h) -> headers(ctx, okHeaders().add("grpc-status", "7").add("grpc-message", "not allowed"), true));

        Recorder<String> r = call("x");

        assertThat(r.status()).isEqualTo(GrpcStatus.of(Code.PERMISSION_DENIED, "not allowed"));
        assertThat(r.messages).isEmpty();
    }

    @Test
    void percentDecodesTheGrpcMessage() {
        serve((ctx, h) -> {
            headers(ctx, okHeaders(), false);
            headers(ctx, trailers(5, "cluster %22reviews%22 not found: 100%25 gone %E2%9C%97, broken %zz"), true);
        });

        Recorder<String> r = call("x");

        assertThat(r.status()).isEqualTo(GrpcStatus.of(Code.NOT_FOUND,
                "cluster \"reviews\" not found: 100% gone \u2717, broken %zz"));
    }

    @Test
    void mapsANon200HttpStatusWithoutGrpcStatusAsGrpcSays() {
        serve((ctx, h) -> {
            String path = h.headers().path().toString();
            String status = path.endsWith("Missing") ? "404" : path.endsWith("Busy") ? "503" : "401";
            headers(ctx, new DefaultHttp2Headers().status(status).add("content-type", "text/html"), false);
            data(ctx, Unpooled.copiedBuffer("<html>no</html>", StandardCharsets.UTF_8));
            headers(ctx, new DefaultHttp2Headers(), true);
        });

        assertThat(status("test.Echo/Missing")).satisfies(s -> {
            assertThat(s.code()).isEqualTo(Code.UNIMPLEMENTED);
            assertThat(s.description()).contains("HTTP status 404");
        });
        assertThat(status("test.Echo/Busy").code()).isEqualTo(Code.UNAVAILABLE);
        assertThat(status("test.Echo/Login").code()).isEqualTo(Code.UNAUTHENTICATED);
    }

    private GrpcStatus status(String method) {
        try {
            channel.unary(Calls.stringMethod(method), "x", null).join();
            return GrpcStatus.OK;
        } catch (CompletionException e) {
            return ((GrpcException) e.getCause()).status();
        }
    }

    @Test
    void endsTheCallWhenTheServerResetsTheStream() {
        serve((ctx, h) -> {
            if (h.headers().path().toString().endsWith("Refused")) {
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
            } else {
                headers(ctx, okHeaders(), false);
                data(ctx, framed("half"));
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
            }
        });

        assertThat(status("test.Echo/Refused")).satisfies(s -> {
            assertThat(s.code()).isEqualTo(Code.UNAVAILABLE);
            assertThat(s.description()).contains("RST_STREAM REFUSED_STREAM");
        });
        assertThat(status("test.Echo/Cancelled").code()).isEqualTo(Code.CANCELLED);
    }

    @Test
    void endsOpenCallsUnavailableOnGoAwayAndUsesANewConnectionForTheNextCall() {
        serve((ctx, h) -> {
            if (server.connections.get() == 1) {
                headers(ctx, okHeaders(), false);
                // GOAWAY, then the end of the server's side of the connection. A shutdown of the output sends a
                // FIN after the GOAWAY; a close could send an RST instead (when frames from the client are still
                // unread), and the client's kernel may drop the GOAWAY it had not read yet.
                ctx.channel().parent().writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR,
                        Unpooled.copiedBuffer("going away", StandardCharsets.UTF_8)))
                        .addListener(f -> ((SocketChannel) ctx.channel().parent()).shutdownOutput());
            } else {
                headers(ctx, okHeaders().add("grpc-status", "0"), false);
                headers(ctx, okHeaders(), false);
            }
        });

        Recorder<String> first = new Recorder<>();
        channel.start(CHAT, null, first).send("x");

        assertThat(first.status()).satisfies(s -> {
            assertThat(s.code()).isEqualTo(Code.UNAVAILABLE);
            assertThat(s.description()).contains("GOAWAY").contains("going away");
        });
        Recorder<String> second = new Recorder<>();
        channel.start(CHAT, null, second).send("y");
        await().atMost(WAIT).until(() -> server.connections.get() == 2 && server.requests.size() == 2);
    }

    @Test
    void refusesACompressedMessageItNeverAskedFor() {
        serve((ctx, h) -> {
            headers(ctx, okHeaders().add("grpc-encoding", "gzip"), false);
            data(ctx, Unpooled.buffer().writeByte(1).writeInt(3).writeBytes(new byte[] {1, 2, 3}));
        });

        Recorder<String> r = call("x");

        assertThat(r.status()).satisfies(s -> {
            assertThat(s.code()).isEqualTo(Code.INTERNAL);
            assertThat(s.description()).contains("compressed message").contains("no grpc-encoding");
        });
        await().atMost(WAIT).until(() -> server.resets.contains(Http2Error.CANCEL.code()));
    }

    @Test
    void refusesAMessageOverTheMaximumSizeBeforeReadingIt() {
        server = new RawHttp2Server((ctx, h) -> {
            headers(ctx, okHeaders(), false);
            data(ctx, Unpooled.buffer().writeByte(0).writeInt(2048).writeBytes(new byte[100]));
        });
        channel = GrpcChannel.forTarget(server.target(), GrpcChannelOptions.DEFAULTS.withMaxInboundMessageBytes(1024));

        Recorder<String> r = call("x");

        assertThat(r.status()).isEqualTo(GrpcStatus.of(Code.RESOURCE_EXHAUSTED,
                "the server sent a message of 2048 bytes, more than this client's maximum of 1024 bytes"));
    }

    @Test
    void cancellingACallResetsItsStreamWithCancel() {
        serve((ctx, h) -> headers(ctx, okHeaders(), false));
        Recorder<String> r = new Recorder<>();
        GrpcCall<String> call = channel.start(CHAT, null, r);
        call.send("x");
        await().atMost(WAIT).until(() -> server.requests.size() == 1);

        call.cancel("not needed any more");

        assertThat(r.status()).isEqualTo(GrpcStatus.of(Code.CANCELLED, "not needed any more"));
        await().atMost(WAIT).until(() -> server.resets.equals(java.util.List.of(Http2Error.CANCEL.code())));
    }

    @Test
    void endsAUnaryCallPastItsDeadlineWithDeadlineExceededAndResetsTheStream() {
        serve((ctx, h) -> headers(ctx, okHeaders(), false)); // and then nothing
        channel.start(CHAT, null, new Recorder<>()).send("connect");
        await().atMost(WAIT).until(() -> server.requests.size() == 1);

        GrpcStatus s = status(channel, Duration.ofSeconds(1));

        assertThat(s.code()).isEqualTo(Code.DEADLINE_EXCEEDED);
        assertThat(s.description()).contains("1000 ms");
        assertThat(server.requests.get(1).get("grpc-timeout").toString()).matches("[0-9]{1,8}[num]");
        await().atMost(WAIT).until(() -> server.resets.contains(Http2Error.CANCEL.code()));
    }

    private GrpcStatus status(GrpcChannel c, Duration deadline) {
        try {
            c.blockingUnary(CHAT, "x", deadline);
            return GrpcStatus.OK;
        } catch (GrpcException e) {
            return e.status();
        }
    }

    @Test
    void closesAConnectionWhosePeerDoesNotAnswerKeepalivePings() {
        server = new RawHttp2Server(b -> b.autoAckPingFrame(false), (ctx, h) -> headers(ctx, okHeaders(), false));
        channel = GrpcChannel.forTarget(server.target(), GrpcChannelOptions.DEFAULTS
                .withKeepAlive(Duration.ofMillis(200), Duration.ofMillis(300)));

        Recorder<String> r = new Recorder<>();
        channel.start(CHAT, null, r).send("x");

        assertThat(r.status()).satisfies(s -> {
            assertThat(s.code()).isEqualTo(Code.UNAVAILABLE);
            assertThat(s.description()).contains("keepalive PING");
        });
        assertThat(server.pings.get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void keepsAConnectionWhosePeerAnswersKeepalivePings() {
        serve((ctx, h) -> headers(ctx, okHeaders(), false));
        channel.close();
        channel = GrpcChannel.forTarget(server.target(), GrpcChannelOptions.DEFAULTS
                .withKeepAlive(Duration.ofMillis(100), Duration.ofSeconds(10)));
        Recorder<String> r = new Recorder<>();
        channel.start(CHAT, null, r).send("x");

        await().atMost(WAIT).until(() -> server.pings.get() >= 3);
        assertThat(r.closed).isNotDone();
    }

    @Test
    void holdsRequestsBackWhileFlowControlStopsThemAndEndsTheCallPastTheLimit() {
        server = new RawHttp2Server(b -> b.initialSettings(Http2Settings.defaultSettings().initialWindowSize(0)),
                (ctx, h) -> headers(ctx, okHeaders(), false));
        channel = GrpcChannel.forTarget(server.target(), GrpcChannelOptions.DEFAULTS.withMaxBufferedOutboundBytes(100_000));
        Recorder<String> r = new Recorder<>();
        GrpcCall<String> call = channel.start(CHAT, null, r);
        call.send("a");
        await().atMost(WAIT).until(() -> server.requests.size() == 1);
        // The stream's window is 0: the first 64 KiB wait in Netty's stream channel, the rest in the call.
        for (int i = 0; i < 4; i++) {
            call.send("b".repeat(40_000));
        }
        assertThat(r.closed).isNotDone();

        call.send("c".repeat(40_000));

        assertThat(r.status()).satisfies(s -> {
            assertThat(s.code()).isEqualTo(Code.RESOURCE_EXHAUSTED);
            assertThat(s.description()).contains("limit of 100000 bytes");
        });
        assertThat(server.bodies).isEmpty();
    }
}
