package dev.meshdeck.dataplane.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The sidecar's identity as the CA issued it: the private key (made here, never sent anywhere), the
 * certificate chain to present (the leaf first, the root left out), and the trust bundle (the root: SDS
 * {@code ROOTCA}).
 */
public record WorkloadCertificate(SpiffeId id, PrivateKey key, List<X509Certificate> chain, List<X509Certificate> roots) {
    public WorkloadCertificate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        roots = List.copyOf(roots);
        if (chain.isEmpty() || roots.isEmpty()) {
            throw new IllegalArgumentException("workload certificate: " + chain.size() + " certificates, " + roots.size()
                    + " roots (expected: a leaf and a root)");
        }
    }

    /**
     * The CA's answer ({@code cert_chain}: PEM each, the leaf first, the root last) for {@code key}: checks
     * that the leaf is for this key and this SPIFFE ID.
     *
     * @throws IllegalArgumentException naming what is wrong with the chain
     */
    public static WorkloadCertificate fromCaChain(SpiffeId id, java.security.KeyPair keys, List<String> pemChain) {
        List<X509Certificate> certs = new ArrayList<>();
        for (String pem : pemChain) {
            certs.addAll(parsePem(pem));
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("cert_chain: no certificate (expected: the leaf first, the root last)");
        }
        X509Certificate leaf = certs.get(0);
        if (!leaf.getPublicKey().equals(keys.getPublic())) {
            throw new IllegalArgumentException("cert_chain[0]: the certificate is not for the key the sidecar asked for");
        }
        if (!Sans.uris(leaf).contains(id.uri())) {
            throw new IllegalArgumentException("cert_chain[0]: URI SANs " + Sans.uris(leaf) + " (expected: " + id.uri() + ")");
        }
        X509Certificate root = certs.get(certs.size() - 1);
        List<X509Certificate> chain = certs.size() == 1 ? certs : certs.subList(0, certs.size() - 1);
        return new WorkloadCertificate(id, keys.getPrivate(), chain, List.of(root));
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** Certificates from PEM text (one or more {@code CERTIFICATE} blocks). */
    public static List<X509Certificate> parsePem(String pem) {
        try {
            Collection<? extends java.security.cert.Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            List<X509Certificate> out = new ArrayList<>();
            for (var c : all) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
        }
    }
}
