package dev.meshdeck.controller.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.controller.api.ProxyStatus;
import dev.meshdeck.controller.config.MeshConfig;
import dev.meshdeck.controller.config.load.ConfigLoader;
import dev.meshdeck.controller.config.load.ConfigValidator;
import dev.meshdeck.controller.config.load.LoadResult;
import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.registry.ProxyRegistry;
import dev.meshdeck.controller.registry.ProxyType;
import dev.meshdeck.controller.testing.VirtualScheduler;
import dev.meshdeck.controller.translate.MeshTranslator;
import dev.meshdeck.controller.translate.TranslatedMesh;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.xds.XdsNameResolverProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * grpc-java's own xDS client (proxyless gRPC) against our xDS server, programmed the way a user would
 * program it: Istio-style YAML, read by {@link ConfigLoader}, translated by {@link MeshTranslator} and
 * published by {@link SnapshotPublisher}. The service is a {@code ServiceEntry} for the host {@code greeter}
 * whose two {@code WorkloadEntry}s are real gRPC servers on loopback.
 *
 * <p>A gRPC application dials {@code xds:///greeter}: the ServiceEntry's host as written. The translator
 * gives a proxyless client an API listener for every name a service may be dialled by, with and without
 * each port, so {@code xds:///greeter:7070} would work as well. (This test registers its own resolver
 * scheme so that its bootstrap stays its own; {@code meshdeck-xds-test:///greeter} asks the same xDS
 * question as {@code xds:///greeter}.)
 */
class GrpcXdsClientTest {
    private static final String SCHEME = "meshdeck-xds-test";
    private static final String TARGET = "greeter";
    private static final String NODE_ID = "greeter-client~1";
    private static final int CALLS = 1000;

    /** The service and its workloads; the two {@code %d} are the backends' ports. */
    private static final String GREETER = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: greeter
            spec:
              hosts:
              - greeter
              location: MESH_INTERNAL
              resolution: STATIC
              ports:
              - number: 7070
                name: grpc
                protocol: GRPC
              workloadSelector:
                labels:
                  app: greeter
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata:
              name: greeter-v1
            spec:
              address: 127.0.0.1
              ports:
                grpc: %d
              labels:
                app: greeter
                version: v1
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata:
              name: greeter-v2
            spec:
              address: 127.0.0.1
              ports:
                grpc: %d
              labels:
                app: greeter
                version: v2
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: greeter
            spec:
              host: greeter
              subsets:
              - name: v1
                labels:
                  version: v1
              - name: v2
                labels:
                  version: v2
            """;

    private static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<String, String> WHO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("meshdeck.test.Greeter/Who")
            .setRequestMarshaller(UTF8)
            .setResponseMarshaller(UTF8)
            .build();

    private final VirtualScheduler scheduler = new VirtualScheduler();
    private final ProxyRegistry registry = new ProxyRegistry(scheduler.clock(), scheduler);
    private final SimpleCache<String> cache = XdsServer.newCache();
    private final SyncTracker tracker = new SyncTracker(registry, cache, scheduler.clock());
    private final MeshTranslator translator = new MeshTranslator();
    private final AtomicReference<TranslatedMesh> mesh = new AtomicReference<>();
    private Server v1;
    private Server v2;
    private XdsServer xds;
    private SnapshotPublisher publisher;
    private XdsNameResolverProvider resolver;
    private ManagedChannel channel;

    private static Server backend(String name) throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder("meshdeck.test.Greeter")
                .addMethod(WHO, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(name);
                    response.onCompleted();
                }))
                .build();
        return Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(service).build().start();
    }

    private static int port(Server server) {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    private static String split(int weightV1, int weightV2) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: greeter
                spec:
                  hosts:
                  - greeter
                  http:
                  - route:
                    - destination:
                        host: greeter
                        subset: v1
                      weight: %d
                    - destination:
                        host: greeter
                        subset: v2
                      weight: %d
                """.formatted(weightV1, weightV2);
    }

    /** Every call aborted by the route's fault; {@code abort} is the abort's status line. */
    private static String abortAll(String abort) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: greeter
                spec:
                  hosts:
                  - greeter
                  http:
                  - fault:
                      abort:
                        percentage:
                          value: 100
                        %s
                    route:
                    - destination:
                        host: greeter
                        subset: v1
                """.formatted(abort);
    }

    @BeforeEach
    void start() throws IOException {
        v1 = backend("v1");
        v2 = backend("v2");
        xds = XdsServer.start(new InetSocketAddress("127.0.0.1", 0), cache, List.of(registry, tracker));
        mesh.set(translate(split(80, 20)));
        publisher = new SnapshotPublisher(cache, registry, proxy -> mesh.get().snapshotFor(proxy));

        Map<String, ?> bootstrap = Map.of(
                "xds_servers", List.of(Map.of(
                        "server_uri", "127.0.0.1:" + xds.port(),
                        "channel_creds", List.of(Map.of("type", "insecure")),
                        "server_features", List.of("xds_v3"))),
                "node", Map.of("id", NODE_ID, "metadata", Map.of("GENERATOR", "grpc")));
        resolver = XdsNameResolverProvider.createForTest(SCHEME, bootstrap);
        NameResolverRegistry.getDefaultRegistry().register(resolver);
        channel = Grpc.newChannelBuilder(SCHEME + ":///" + TARGET, InsecureChannelCredentials.create()).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        NameResolverRegistry.getDefaultRegistry().deregister(resolver);
        publisher.close();
        xds.close();
        v1.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        v2.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** The greeter config with {@code virtualService}, loaded, validated and translated as an apply would. */
    private TranslatedMesh translate(String virtualService) {
        String text = GREETER.formatted(port(v1), port(v2)) + "---\n" + virtualService;
        LoadResult loaded = new ConfigLoader().load("greeter.yaml", text);
        assertThat(loaded.errors()).as("load errors").isEmpty();
        assertThat(new ConfigValidator().validate(loaded.documents())).as("validation errors").isEmpty();
        return translator.translate(new MeshConfig(loaded.resources()), registry.state());
    }

    /** Translates and publishes {@code virtualService}, then waits until the client has ACKed the new routes. */
    private void apply(String virtualService) {
        mesh.set(translate(virtualService));
        publisher.publishAll();
        ProxyInfo client = registry.member(NODE_ID).orElseThrow().info();
        String routes = mesh.get().snapshotFor(client).version(ResourceType.ROUTE);
        await().atMost(Duration.ofSeconds(10)).until(() -> tracker.status(NODE_ID)
                .map(s -> s.types().get("RDS").acked().equals(routes)).orElse(false));
    }

    private String call() {
        return ClientCalls.blockingUnaryCall(channel, WHO, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
                "hello");
    }

    /** The share of {@code calls} calls that the v1 backend answered, in percent. */
    private double percentToV1(int calls) {
        int toV1 = 0;
        for (int i = 0; i < calls; i++) {
            if (call().equals("v1")) {
                toV1++;
            }
        }
        return 100.0 * toV1 / calls;
    }

    private void assertNothingNacked() {
        assertThat(tracker.status(NODE_ID)).hasValueSatisfying(s -> assertThat(s.types().values())
                .noneMatch(t -> t.state() == ProxyStatus.SyncState.NACKED));
    }

    @Test
    void spreadsCallsByTheVirtualServiceWeightsAndFollowsANewSplit() {
        assertThat(percentToV1(CALLS)).isBetween(75.0, 85.0);
        assertThat(registry.member(NODE_ID))
                .hasValueSatisfying(m -> assertThat(m.info().type()).isEqualTo(ProxyType.PROXYLESS_GRPC));
        assertNothingNacked();

        apply(split(20, 80));
        // The ACK goes out before the channel switches pickers; a small sample shows when it has.
        await().atMost(Duration.ofSeconds(10)).until(() -> percentToV1(50) < 50);

        assertThat(percentToV1(CALLS)).isBetween(15.0, 25.0);
        assertNothingNacked();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"httpStatus: 503", "grpcStatus: UNAVAILABLE"})
    void aRouteFaultAbortingEveryCallFailsTheClientsCallsWithUnavailableUntilItIsRemoved(String abort) {
        assertThat(call()).isIn("v1", "v2");

        apply(abortAll(abort));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try {
                call();
                return false;
            } catch (StatusRuntimeException e) {
                return true;
            }
        });

        for (int i = 0; i < 20; i++) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, this::call);
            assertThat(e).as("call %d", i).isNotNull();
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).contains("fault injection");
        }
        assertNothingNacked();

        // Back to the split: v2, which the fault's route did not use, is watched and reached again.
        apply(split(80, 20));
        await().atMost(Duration.ofSeconds(10)).ignoreException(StatusRuntimeException.class)
                .until(() -> call().equals("v2"));
    }
}
