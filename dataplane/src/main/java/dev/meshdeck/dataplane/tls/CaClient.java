package dev.meshdeck.dataplane.tls;

import dev.meshdeck.dataplane.grpc.GrpcChannel;
import dev.meshdeck.dataplane.grpc.GrpcException;
import dev.meshdeck.dataplane.tls.internal.IstioCertificateMessages;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The controller's CA over Istio's API ({@code istio.v1.auth.IstioCertificateService/CreateCertificate}),
 * served on the same address as ADS, so it shares the ADS client's channel. Blocking, with a deadline: it
 * runs on the certificate rotator's thread, never on an event loop.
 */
public final class CaClient implements CertificateAuthority {
    private final GrpcChannel channel;
    private final Duration deadline;

    public CaClient(GrpcChannel channel, Duration deadline) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
    }

    @Override
    public List<String> sign(String csrPem, Duration validity) {
        try {
            IstioCertificateMessages.Response r = channel.blockingUnary(IstioCertificateMessages.CREATE_CERTIFICATE,
                    new IstioCertificateMessages.Request(csrPem, Math.max(1, validity.toSeconds())), deadline);
            if (r.certChain().isEmpty()) {
                throw new IllegalStateException("the CA answered an empty cert_chain (expected: the leaf first, the root last)");
            }
            return r.certChain();
        } catch (GrpcException e) {
            throw new IllegalStateException(IstioCertificateMessages.METHOD + ": " + e.status(), e);
        }
    }
}
