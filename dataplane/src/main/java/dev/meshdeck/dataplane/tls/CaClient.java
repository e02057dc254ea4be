package dev.meshdeck.dataplane.tls;

import dev.meshdeck.dataplane.tls.internal.IstioCertificateMessages;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The controller's CA over Istio's API ({@code istio.v1.auth.IstioCertificateService/CreateCertificate}),
 * served on the same address as ADS, so it shares the ADS client's channel. Blocking, with a deadline: it
 * runs on the certificate rotator's thread, never on an event loop.
 */
public final class CaClient implements CertificateAuthority {
    private final Channel channel;
    private final Duration deadline;

    public CaClient(Channel channel, Duration deadline) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
    }

    @Override
    public List<String> sign(String csrPem, Duration validity) {
        try {
            IstioCertificateMessages.Response r = ClientCalls.blockingUnaryCall(channel,
                    IstioCertificateMessages.CREATE_CERTIFICATE,
                    CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS),
                    new IstioCertificateMessages.Request(csrPem, Math.max(1, validity.toSeconds())));
            if (r.certChain().isEmpty()) {
                throw new IllegalStateException("the CA answered an empty cert_chain (expected: the leaf first, the root last)");
            }
            return r.certChain();
        } catch (StatusRuntimeException e) {
            throw new IllegalStateException(IstioCertificateMessages.METHOD + ": " + e.getStatus().getCode()
                    + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription()), e);
        }
    }
}
