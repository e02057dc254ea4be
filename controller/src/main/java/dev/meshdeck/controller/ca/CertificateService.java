package dev.meshdeck.controller.ca;

import dev.meshdeck.controller.ca.proto.IstioCertificateRequest;
import dev.meshdeck.controller.ca.proto.IstioCertificateResponse;
import dev.meshdeck.controller.ca.proto.IstioCertificateServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Istio's {@code istio.v1.auth.IstioCertificateService} over the {@link MeshCa}: a proxy sends a CSR for its
 * SPIFFE ID and gets the PEM chain (leaf first, root last). A refused request is {@code INVALID_ARGUMENT}
 * with the reason.
 *
 * <p>Callers are not authenticated yet: any client that reaches the xDS port can obtain a certificate for
 * any identity in the trust domain, as it can claim any node identity over xDS. That is acceptable on
 * loopback only; see {@code docs/decisions/0005-mesh-ca.md}.
 */
public final class CertificateService extends IstioCertificateServiceGrpc.IstioCertificateServiceImplBase {
    private static final Logger LOG = Logger.getLogger(CertificateService.class.getName());

    private final MeshCa ca;

    public CertificateService(MeshCa ca) {
        this.ca = Objects.requireNonNull(ca, "ca");
    }

    @Override
    public void createCertificate(IstioCertificateRequest request,
                                  StreamObserver<IstioCertificateResponse> response) {
        IssuedCertificate issued;
        try {
            issued = ca.sign(request.getCsr(), Duration.ofSeconds(request.getValidityDuration()));
        } catch (CertificateRequestException e) {
            LOG.log(Level.INFO, "refused a certificate request: {0}", e.getMessage());
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot sign a certificate request", e);
            response.onError(Status.INTERNAL.withDescription("the CA cannot sign: " + e.getMessage())
                    .withCause(e).asRuntimeException());
            return;
        }
        LOG.log(Level.FINE, "issued a certificate for {0}, serial {1}, valid until {2}", new Object[] {
                issued.identity(), issued.leaf().getSerialNumber().toString(16), issued.leaf().getNotAfter()});
        response.onNext(IstioCertificateResponse.newBuilder().addAllCertChain(issued.pemChain()).build());
        response.onCompleted();
    }
}
