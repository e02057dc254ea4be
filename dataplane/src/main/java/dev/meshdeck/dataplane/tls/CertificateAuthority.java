package dev.meshdeck.dataplane.tls;

import java.time.Duration;
import java.util.List;

/** Signs the sidecar's certificate requests: the controller's CA, reached with {@link CaClient}. */
public interface CertificateAuthority {
    /**
     * Signs {@code csrPem} for about {@code validity}.
     *
     * @return the chain, PEM each: the leaf first, the root last
     * @throws Exception when the CA cannot be reached or refuses
     */
    List<String> sign(String csrPem, Duration validity) throws Exception;
}
