package dev.meshdeck.controller.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshdeck.controller.ControllerServer;
import dev.meshdeck.controller.api.grpc.HostPort;
import dev.meshdeck.controller.ca.internal.Pem;
import dev.meshdeck.controller.ca.proto.IstioCertificateRequest;
import dev.meshdeck.controller.ca.proto.IstioCertificateResponse;
import dev.meshdeck.controller.ca.proto.IstioCertificateServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Istio's CreateCertificate against a whole controller on loopback, on its xDS port, across restarts. */
class CertificateServiceTest {
    private static final String PRODUCTPAGE = "spiffe://cluster.local/ns/default/sa/bookinfo-productpage";

    @TempDir
    Path tmp;

    @Test
    void signsAWorkloadRequestOnTheXdsPort() throws Exception {
        try (ControllerServer server = start()) {
            IstioCertificateResponse response = call(server, IstioCertificateRequest.newBuilder()
                    .setCsr(Csrs.csr(Csrs.p256(), PRODUCTPAGE))
                    .setValidityDuration(3600)
                    .build());

            assertThat(response.getCertChainList()).hasSize(2);
            assertThat(response.getCertChain(1)).isEqualTo(server.ca().root().certificatePem());
            X509Certificate leaf = Pem.parseCertificate(response.getCertChain(0), "leaf");
            leaf.verify(server.ca().root().certificate().getPublicKey());
            assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, PRODUCTPAGE));
            assertThat(leaf.getNotAfter().toInstant()).isBefore(Instant.now().plus(Duration.ofMinutes(61)));
        }
    }

    @Test
    void answersARefusedRequestWithInvalidArgumentAndTheReason() throws Exception {
        try (ControllerServer server = start()) {
            IstioCertificateRequest request = IstioCertificateRequest.newBuilder()
                    .setCsr(Csrs.csr(Csrs.p256(), "spiffe://example.org/ns/default/sa/bookinfo-productpage"))
                    .build();

            assertThatThrownBy(() -> call(server, request))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).contains("trust domain \"example.org\"",
                                "expected: the mesh's, \"cluster.local\"");
                    });
        }
    }

    @Test
    void aRestartedControllerKeepsItsRoot() throws Exception {
        String fingerprint;
        try (ControllerServer server = start()) {
            fingerprint = server.ca().root().fingerprint();
        }
        Path caDir = tmp.resolve("workspace").resolve(ControllerServer.CA_DIR);
        assertThat(caDir.resolve(RootCaStore.CERT_FILE)).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir.resolve(RootCaStore.KEY_FILE))))
                .isEqualTo("rw-------");

        try (ControllerServer server = start()) {
            assertThat(server.ca().root().fingerprint()).isEqualTo(fingerprint);
            assertThat(server.controlPlane().status().ca()).hasValueSatisfying(ca -> {
                assertThat(ca.rootFingerprint()).isEqualTo(fingerprint);
                assertThat(ca.trustDomain()).isEqualTo("cluster.local");
            });
            IstioCertificateResponse response = call(server, IstioCertificateRequest.newBuilder()
                    .setCsr(Csrs.csr(Csrs.p256(), PRODUCTPAGE)).build());
            assertThat(Pem.parseCertificate(response.getCertChain(1), "root").getEncoded())
                    .isEqualTo(server.ca().root().certificate().getEncoded());
        }
    }

    private ControllerServer start() throws Exception {
        return ControllerServer.start(new ControllerServer.Settings(Optional.empty(), HostPort.parse("127.0.0.1:0"),
                Optional.empty(), tmp.resolve("workspace"), false, Duration.ofSeconds(5)));
    }

    private static IstioCertificateResponse call(ControllerServer server, IstioCertificateRequest request)
            throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.xdsPort()).usePlaintext().build();
        try {
            return IstioCertificateServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .createCertificate(request);
        } finally {
            channel.shutdownNow();
            channel.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
