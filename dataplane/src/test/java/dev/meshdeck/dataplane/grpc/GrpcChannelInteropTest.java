package dev.meshdeck.dataplane.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.dataplane.grpc.Calls.Recorder;
import dev.meshdeck.dataplane.grpc.GrpcStatus.Code;
import dev.meshdeck.dataplane.proxy.support.EchoGrpcServer;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gRPC client against grpc-java's server, the reference implementation, on loopback: unary and
 * bidirectional calls, statuses with messages, deadlines, cancellation seen by the server, messages larger than
 * the flow-control windows both ways, the maximum message size, and a server that goes away and comes back.
 */
class GrpcChannelInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final GrpcMethod<String, String> UNARY = Calls.stringMethod("test.Echo/Unary");
    private static final GrpcMethod<String, String> CHAT = Calls.stringMethod("test.Echo/Chat");
    private static final GrpcMethod<String, String> FAIL = Calls.stringMethod("test.Echo/Fail");
    private static final GrpcMethod<String, String> HANG = Calls.stringMethod("test.Echo/Hang");
    private static final GrpcMethod<String, String> BIG = Calls.stringMethod("test.Echo/Big");

    private final List<String> cancelled = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private Server server;
    private GrpcChannel channel;

    @BeforeEach
    void start() throws Exception {
        server = startServer(0);
        channel = GrpcChannel.forTarget("127.0.0.1:" + server.getPort(), GrpcChannelOptions.DEFAULTS);
    }

    private Server startServer(int port) throws Exception {
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .maxInboundMessageSize(32 * 1024 * 1024)
                .addService(ServerServiceDefinition.builder("test.Echo")
                        .addMethod(EchoGrpcServer.UNARY, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) -> {
                            calls.incrementAndGet();
                            out.onNext("echo " + (req.length() > 100 ? req.length() + " chars" : req));
                            out.onCompleted();
                        }))
                        .addMethod(EchoGrpcServer.CHAT, ServerCalls.asyncBidiStreamingCall(out -> new StreamObserver<String>() {
                            @Override
                            public void onNext(String value) {
                                out.onNext("got " + value);
                            }

                            @Override
                            public void onError(Throwable t) {
                                cancelled.add("Chat");
                            }

                            @Override
                            public void onCompleted() {
                                out.onCompleted();
                            }
                        }))
                        .addMethod(EchoGrpcServer.FAIL, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) ->
                                out.onError(Status.NOT_FOUND.withDescription(req).asRuntimeException())))
                        .addMethod(method("Hang"), ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) ->
                                ((ServerCallStreamObserver<String>) out).setOnCancelHandler(() -> cancelled.add("Hang"))))
                        .addMethod(method("Big"), ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) -> {
                            out.onNext("x".repeat(Integer.parseInt(req)));
                            out.onCompleted();
                        }))
                        .build())
                .build().start();
    }

    private static MethodDescriptor<String, String> method(String name) {
        return MethodDescriptor.<String, String>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("test.Echo/" + name)
                .setRequestMarshaller(EchoGrpcServer.STRING).setResponseMarshaller(EchoGrpcServer.STRING).build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void callsAUnaryMethodAndGetsItsResponse() {
        assertThat(channel.blockingUnary(UNARY, "hello", Duration.ofSeconds(10))).isEqualTo("echo hello");
        assertThat(channel.unary(UNARY, "again", null).join()).isEqualTo("echo again");
    }

    @Test
    void streamsMessagesBothWaysOnOneBidirectionalCall() {
        Recorder<String> r = new Recorder<>();
        GrpcCall<String> call = channel.start(CHAT, null, r);
        call.send("one");
        await().atMost(WAIT).until(() -> r.messages.size() == 1);
        call.send("two");
        call.send("three");
        call.halfClose();

        assertThat(r.status()).isEqualTo(GrpcStatus.OK);
        assertThat(r.messages).containsExactly("got one", "got two", "got three");
    }

    @Test
    void reportsTheServersStatusWithItsMessageDecoded() {
        assertThatThrownBy(() -> channel.blockingUnary(FAIL, "no cluster \"reviews\" – 100% sure", Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(GrpcException.class, e -> assertThat(e.status())
                        .isEqualTo(GrpcStatus.of(Code.NOT_FOUND, "no cluster \"reviews\" – 100% sure")));
    }

    @Test
    void answersUnimplementedForAMethodTheServerDoesNotHave() {
        assertThatThrownBy(() -> channel.blockingUnary(Calls.stringMethod("test.Echo/Nope"), "x", Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(GrpcException.class, e -> {
                    assertThat(e.status().code()).isEqualTo(Code.UNIMPLEMENTED);
                    assertThat(e.status().description()).contains("test.Echo/Nope");
                });
    }

    @Test
    void endsAUnaryCallPastItsDeadlineWithDeadlineExceededAndTheServerSeesItCancelled() {
        channel.blockingUnary(UNARY, "connected", Duration.ofSeconds(10));

        assertThatThrownBy(() -> channel.blockingUnary(HANG, "x", Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(GrpcException.class, e ->
                        assertThat(e.status().code()).isEqualTo(Code.DEADLINE_EXCEEDED));
        await().atMost(WAIT).until(() -> cancelled.contains("Hang"));
    }

    @Test
    void cancellingABidirectionalCallCancelsItOnTheServer() {
        Recorder<String> r = new Recorder<>();
        GrpcCall<String> call = channel.start(CHAT, null, r);
        call.send("one");
        await().atMost(WAIT).until(() -> r.messages.size() == 1);

        call.cancel("done with it");

        assertThat(r.status()).isEqualTo(GrpcStatus.of(Code.CANCELLED, "done with it"));
        await().atMost(WAIT).until(() -> cancelled.contains("Chat"));
    }

    @Test
    void carriesMessagesLargerThanTheFlowControlWindowsBothWays() {
        assertThat(channel.blockingUnary(BIG, Integer.toString(12 * 1024 * 1024), Duration.ofSeconds(30)))
                .hasSize(12 * 1024 * 1024);
        assertThat(channel.blockingUnary(UNARY, "y".repeat(3 * 1024 * 1024), Duration.ofSeconds(30)))
                .isEqualTo("echo " + 3 * 1024 * 1024 + " chars");
    }

    @Test
    void refusesAResponseOverTheMaximumMessageSizeWithAClearError() {
        assertThatThrownBy(() -> channel.blockingUnary(BIG, Integer.toString(17 * 1024 * 1024), Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(GrpcException.class, e -> assertThat(e.status()).isEqualTo(GrpcStatus.of(
                        Code.RESOURCE_EXHAUSTED, "the server sent a message of " + 17 * 1024 * 1024
                                + " bytes, more than this client's maximum of 16777216 bytes")));
        assertThat(channel.blockingUnary(UNARY, "still fine", Duration.ofSeconds(10))).isEqualTo("echo still fine");
    }

    @Test
    void failsCallsWhileTheServerIsDownAndReconnectsWhenItIsBack() throws Exception {
        int port = server.getPort();
        Recorder<String> open = new Recorder<>();
        channel.start(CHAT, null, open).send("one");
        await().atMost(WAIT).until(() -> open.messages.size() == 1);

        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);

        // grpc-java's shutdownNow resets its streams with CANCEL, which gRPC maps to CANCELLED.
        assertThat(open.status()).isEqualTo(GrpcStatus.of(Code.CANCELLED, "the server reset the stream (RST_STREAM CANCEL)"));
        assertThatThrownBy(() -> channel.blockingUnary(UNARY, "x", Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(GrpcException.class, e -> {
                    assertThat(e.status().code()).isEqualTo(Code.UNAVAILABLE);
                    assertThat(e.status().description()).contains("cannot connect to 127.0.0.1:" + port);
                });
        server = startServer(port);
        assertThat(channel.blockingUnary(UNARY, "back", Duration.ofSeconds(10))).isEqualTo("echo back");
    }
}
