package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.EchoGrpcServer;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import dev.meshdeck.dataplane.stats.Stats;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** HTTP/2 (h2c) and gRPC through a client sidecar's outbound listener and a server sidecar's inbound one. */
@ExtendWith(LeakGuard.class)
class ProxyHttp2Test {
    private static final String CLUSTER = "outbound|50051||echo";
    private static final String INBOUND_CLUSTER = "inbound|50051||";

    private final Stats clientStats = new Stats();
    private final Stats serverStats = new Stats();
    private EchoGrpcServer app;
    private EchoGrpcServer shadow;
    private TestBackend http1App;
    private SidecarProxy clientSidecar;
    private SidecarProxy serverSidecar;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        app = new EchoGrpcServer();
        shadow = new EchoGrpcServer();
        http1App = new TestBackend("plain");
        serverSidecar = Proxies.proxy(ProxyOptions.DEFAULTS.withIoThreads(2), serverStats);
        serverSidecar.update(Configs.builder().cluster(INBOUND_CLUSTER, app.port()).inbound(INBOUND_CLUSTER).build());
        int serverInbound = serverSidecar.port(Configs.INBOUND).orElseThrow();
        clientSidecar = Proxies.proxy(ProxyOptions.DEFAULTS.withIoThreads(2), clientStats);
        clientSidecar.update(Configs.builder()
                .cluster(CLUSTER, serverInbound)
                .cluster("plain", http1App.port())
                .cluster("shadow", shadow.port())
                .host("echo", CLUSTER)
                .host("plain", "plain")
                .host("aborted", Configs.route(CLUSTER, java.time.Duration.ZERO, null,
                        new Route.Fault(null, 0, false, null, 14, 1, false)))
                .host("mirrored", new Route("mirrored", Configs.route(CLUSTER, java.time.Duration.ZERO, null, null).match(),
                        new Route.Action(List.of(new Route.WeightedCluster(CLUSTER, 1)), java.time.Duration.ZERO, null,
                                List.of(new Route.Mirror("shadow", 1.0)), List.of(), null, null),
                        null, null, null, null))
                .build());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", clientSidecar.port(Configs.OUTBOUND).orElseThrow())
                .usePlaintext().overrideAuthority("echo").build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        clientSidecar.close();
        serverSidecar.close();
        app.close();
        shadow.close();
        http1App.close();
    }

    @Test
    void grpcUnaryCallPassesThroughTwoSidecars() {
        String answer = ClientCalls.blockingUnaryCall(channel, EchoGrpcServer.UNARY, CallOptions.DEFAULT, "hello");
        assertThat(answer).isEqualTo("echo hello");
        assertThat(clientStats.counterValues()).containsEntry("cluster." + CLUSTER + ".upstream_rq_total", 1L)
                .containsEntry("http.outbound.downstream_rq_2xx", 1L);
        assertThat(serverStats.counterValues()).containsEntry("cluster." + INBOUND_CLUSTER + ".upstream_rq_total", 1L);
    }

    @Test
    void grpcStatusInTrailersPassesThrough() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, EchoGrpcServer.FAIL, CallOptions.DEFAULT, "such thing"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).isEqualTo("no such thing");
                });
        // The channel and the sidecars' connections stay usable.
        assertThat(ClientCalls.blockingUnaryCall(channel, EchoGrpcServer.UNARY, CallOptions.DEFAULT, "again"))
                .isEqualTo("echo again");
    }

    @Test
    void aGrpcCallToAnAppThatIsDownFailsUnavailableWithTheSidecarsReason() throws Exception {
        app.close();

        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, EchoGrpcServer.UNARY, CallOptions.DEFAULT, "hello"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).startsWith("upstream connect error: cluster " + INBOUND_CLUSTER)
                            .contains("connection refused");
                });
    }

    @Test
    void grpcBidirectionalStreamingPassesThroughTwoSidecars() throws Exception {
        List<String> answers = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(
                channel.newCall(EchoGrpcServer.CHAT, CallOptions.DEFAULT), new StreamObserver<>() {
                    @Override
                    public void onNext(String value) {
                        answers.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        // Each answer arrives while the call is still open: messages stream both ways through both sidecars.
        for (int i = 1; i <= 3; i++) {
            requests.onNext("m" + i);
            int expected = i;
            await().until(() -> answers.size() == expected);
        }
        requests.onCompleted();
        done.get(10, TimeUnit.SECONDS);
        assertThat(answers).containsExactly("got m1", "got m2", "got m3");
    }

    @Test
    void manyConcurrentStreamsShareOneClientConnectionAndFewUpstreamConnections() throws Exception {
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            CompletableFuture<String> f = new CompletableFuture<>();
            ClientCalls.asyncUnaryCall(channel.newCall(EchoGrpcServer.UNARY, CallOptions.DEFAULT), "n" + i,
                    new StreamObserver<>() {
                        @Override
                        public void onNext(String value) {
                            f.complete(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            f.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            calls.add(f);
        }
        for (int i = 0; i < 50; i++) {
            assertThat(calls.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("echo n" + i);
        }
        assertThat(clientStats.counterValues()).containsEntry("http.outbound.downstream_cx_total", 1L)
                .containsEntry("http.outbound.downstream_rq_total", 50L)
                .containsEntry("cluster." + CLUSTER + ".upstream_rq_total", 50L);
        // One HTTP/2 connection per event loop and endpoint at most: the client connection lives on one loop.
        assertThat(clientStats.counterValues().get("cluster." + CLUSTER + ".upstream_cx_total")).isEqualTo(1L);
        assertThat(serverStats.counterValues().get("http.inbound.downstream_cx_total")).isEqualTo(1L);
        assertThat(app.connections()).isBetween(1, 2);
    }

    @Test
    void aFaultAbortAnswersAGrpcClientWithItsStatus() throws Exception {
        ManagedChannel aborted = NettyChannelBuilder.forAddress("127.0.0.1", clientSidecar.port(Configs.OUTBOUND).orElseThrow())
                .usePlaintext().overrideAuthority("aborted").build();
        try {
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(aborted, EchoGrpcServer.UNARY, CallOptions.DEFAULT, "x"))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription()).isEqualTo("fault filter abort");
                    });
        } finally {
            aborted.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(app.unaryCalls()).isZero();
    }

    @Test
    void mirrorsAGrpcCallOverHttp2WhileTheAnswerComesFromTheMainCluster() throws Exception {
        ManagedChannel mirrored = NettyChannelBuilder.forAddress("127.0.0.1", clientSidecar.port(Configs.OUTBOUND).orElseThrow())
                .usePlaintext().overrideAuthority("mirrored").build();
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(ClientCalls.blockingUnaryCall(mirrored, EchoGrpcServer.UNARY, CallOptions.DEFAULT, "m" + i))
                        .isEqualTo("echo m" + i);
            }
        } finally {
            mirrored.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(app.unaryCalls()).isEqualTo(5);
        await().untilAsserted(() -> assertThat(shadow.unaryCalls()).isEqualTo(5));
        await().untilAsserted(() -> assertThat(clientStats.counterValues())
                .containsEntry("cluster.shadow.upstream_rq_total", 5L)
                .containsEntry("cluster.shadow.upstream_rq_2xx", 5L));
    }

    @Test
    void http1ClientsStillWorkOnTheSameListener() throws Exception {
        try (RawHttp c = new RawHttp(clientSidecar.port(Configs.OUTBOUND).orElseThrow())) {
            assertThat(c.get("plain", "/x").headers()).containsEntry("x-backend", "plain");
        }
    }
}
