package dev.meshdeck.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import dev.meshdeck.dataplane.grpc.GrpcChannel;
import dev.meshdeck.dataplane.grpc.GrpcChannelOptions;
import dev.meshdeck.dataplane.tls.internal.IstioCertificateMessages;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sidecar's CA client (on the sidecar's own gRPC client) against a grpc-java server on loopback that serves Istio's
 * {@code IstioCertificateService/CreateCertificate} and signs with {@link TestCa} (standing in for the
 * controller's CA), and the rotator that renews through it.
 */
class CaClientTest {
    private static final SpiffeId ID = new SpiffeId("cluster.local", "bookinfo", "reviews");

    private final TestCa ca = new TestCa("mesh");
    private final List<IstioCertificateMessages.Request> received = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private Server server;
    private GrpcChannel channel;

    /** The server's side of the method, with grpc-java's marshallers over the sidecar's hand-written encoding. */
    static final MethodDescriptor<IstioCertificateMessages.Request, IstioCertificateMessages.Response> SERVED =
            MethodDescriptor.<IstioCertificateMessages.Request, IstioCertificateMessages.Response>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(IstioCertificateMessages.METHOD)
                    .setRequestMarshaller(marshaller(IstioCertificateMessages::encode, IstioCertificateMessages::decodeRequest))
                    .setResponseMarshaller(marshaller(IstioCertificateMessages::encode, IstioCertificateMessages::decodeResponse))
                    .build();

    interface Decoder<T> {
        T decode(InputStream in) throws IOException;
    }

    static <T> MethodDescriptor.Marshaller<T> marshaller(java.util.function.Function<T, byte[]> encoder, Decoder<T> decoder) {
        return new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(T value) {
                return new ByteArrayInputStream(encoder.apply(value));
            }

            @Override
            public T parse(InputStream stream) {
                try (stream) {
                    return decoder.decode(stream);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    @BeforeEach
    void start() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerServiceDefinition.builder(IstioCertificateMessages.SERVICE)
                        .addMethod(SERVED, ServerCalls.asyncUnaryCall((request, response) -> {
                            received.add(request);
                            try {
                                response.onNext(new IstioCertificateMessages.Response(
                                        ca.sign(request.csrPem(), Duration.ofSeconds(request.validitySeconds()))));
                                response.onCompleted();
                            } catch (Exception e) {
                                response.onError(io.grpc.Status.UNAVAILABLE.withDescription(e.getMessage()).asException());
                            }
                        }))
                        .build())
                .build().start();
        channel = GrpcChannel.forTarget("127.0.0.1:" + server.getPort(), GrpcChannelOptions.DEFAULTS);
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.shutdownNow();
        channel.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void getsTheWorkloadCertificateFromTheCaOverIstiosApi() throws Exception {
        SecretStore store = new SecretStore();
        CertificateRotator rotator = new CertificateRotator(ID, new CaClient(channel, Duration.ofSeconds(10)), store,
                Duration.ofHours(24), scheduler, Clock.systemUTC(), new Random(1));

        WorkloadCertificate cert = rotator.renewNow().get(30, TimeUnit.SECONDS);

        assertThat(store.current()).contains(cert);
        assertThat(Sans.uris(cert.leaf())).containsExactly("spiffe://cluster.local/ns/bookinfo/sa/reviews");
        assertThat(cert.roots()).containsExactly(ca.root());
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.csrPem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
            assertThat(r.validitySeconds()).isEqualTo(86_400);
        });
        rotator.close();
    }

    @Test
    void renewsAtHalfTheLifetimeAndRetriesWhileTheCaIsDown() {
        ca.lifetime(Duration.ofSeconds(4)).failing(true);
        SecretStore store = new SecretStore();
        CertificateRotator rotator = new CertificateRotator(ID, new CaClient(channel, Duration.ofSeconds(10)), store,
                Duration.ofSeconds(4), scheduler, Clock.systemUTC(), new Random(1));

        rotator.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> rotator.lastError().isPresent());
        assertThat(rotator.lastError().orElseThrow()).contains("CreateCertificate").contains("test CA is down");
        assertThat(store.current()).isEmpty();

        ca.failing(false);
        await().atMost(Duration.ofSeconds(30)).until(() -> store.current().isPresent());
        WorkloadCertificate first = store.current().orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> store.current().orElseThrow() != first);
        assertThat(store.current().orElseThrow().key()).isNotEqualTo(first.key());
        rotator.close();
    }

    @Test
    void encodesTheRequestAsIstiosProtoDoesAndReadsItsResponse() throws Exception {
        Descriptors.FileDescriptor file = Descriptors.FileDescriptor.buildFrom(FileDescriptorProto.newBuilder()
                .setName("ca.proto").setPackage("istio.v1.auth").setSyntax("proto3")
                .addMessageType(DescriptorProto.newBuilder().setName("IstioCertificateRequest")
                        .addField(field("csr", 1, FieldDescriptorProto.Type.TYPE_STRING, false))
                        .addField(field("validity_duration", 3, FieldDescriptorProto.Type.TYPE_INT64, false)))
                .addMessageType(DescriptorProto.newBuilder().setName("IstioCertificateResponse")
                        .addField(field("cert_chain", 1, FieldDescriptorProto.Type.TYPE_STRING, true)))
                .build(), new Descriptors.FileDescriptor[0]);
        Descriptors.Descriptor request = file.findMessageTypeByName("IstioCertificateRequest");
        Descriptors.Descriptor response = file.findMessageTypeByName("IstioCertificateResponse");

        DynamicMessage parsed = DynamicMessage.parseFrom(request,
                IstioCertificateMessages.encode(new IstioCertificateMessages.Request("PEM", 3600)));
        assertThat(parsed.getField(request.findFieldByName("csr"))).isEqualTo("PEM");
        assertThat(parsed.getField(request.findFieldByName("validity_duration"))).isEqualTo(3600L);

        byte[] istioResponse = DynamicMessage.newBuilder(response)
                .addRepeatedField(response.findFieldByName("cert_chain"), "leaf")
                .addRepeatedField(response.findFieldByName("cert_chain"), "root").build().toByteArray();
        assertThat(IstioCertificateMessages.decodeResponse(new ByteArrayInputStream(istioResponse)).certChain())
                .containsExactly("leaf", "root");
    }

    private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type, boolean repeated) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(repeated ? FieldDescriptorProto.Label.LABEL_REPEATED : FieldDescriptorProto.Label.LABEL_OPTIONAL)
                .build();
    }
}
