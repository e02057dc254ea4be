package dev.meshdeck.controller.ca;

import dev.meshdeck.controller.ca.internal.Pem;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A certificate the CA issued and its chain.
 *
 * @param identity the workload identity certified
 * @param chain    the new certificate first, then any intermediates, the root last
 */
public record IssuedCertificate(SpiffeId identity, List<X509Certificate> chain) {
    public IssuedCertificate {
        Objects.requireNonNull(identity, "identity");
        chain = List.copyOf(chain);
        if (chain.size() < 2) {
            throw new IllegalArgumentException("chain: " + chain.size()
                    + " certificates (expected: the new one and the root at least)");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Each certificate of the chain in PEM, in chain order (the wire form of Istio's CA API). */
    public List<String> pemChain() {
        return chain.stream().map(Pem::certificate).toList();
    }
}
