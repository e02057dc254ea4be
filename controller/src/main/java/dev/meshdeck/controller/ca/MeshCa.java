package dev.meshdeck.controller.ca;

import dev.meshdeck.controller.ca.internal.Certificates;
import dev.meshdeck.controller.ca.internal.CsrCheck;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/**
 * The mesh CA: signs a workload's certificate request (see {@link CsrCheck} for what it must be) with the
 * root. The certificate is an end-entity one for TLS servers and clients alike, with an empty subject and
 * the workload's SPIFFE ID as its only (critical) subjectAltName, valid from a few minutes ago (for clock
 * skew) for the requested time, at most {@link #MAX_VALIDITY} and never beyond the root. Thread-safe.
 */
public final class MeshCa {
    /** The longest and the default validity of a workload certificate (as Istio's default). */
    public static final Duration MAX_VALIDITY = Duration.ofHours(24);

    private final RootCa root;
    private final String trustDomain;
    private final Clock clock;
    private final SecureRandom random;
    private final X500Name issuer;
    private final byte[] rootKeyId;

    public MeshCa(RootCa root, Clock clock, SecureRandom random) {
        this.root = Objects.requireNonNull(root, "root");
        this.trustDomain = root.trustDomain();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        try {
            this.issuer = new JcaX509CertificateHolder(root.certificate()).getSubject();
            this.rootKeyId = Certificates.keyIdentifier(Certificates.keyInfo(root.certificate().getPublicKey()));
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("root certificate cannot be encoded", e);
        }
    }

    /** A CA with a new root kept in memory only (a controller without a workspace, tests). */
    public static MeshCa inMemory(String trustDomain, Clock clock) {
        SecureRandom random = new SecureRandom();
        return new MeshCa(RootCa.create(trustDomain, clock, random), clock, random);
    }

    public RootCa root() {
        return root;
    }

    public String trustDomain() {
        return trustDomain;
    }

    /**
     * Signs {@code csrPem} for {@code requested} (zero: {@link #MAX_VALIDITY}).
     *
     * @return the certificate and its chain (the new certificate first, the root last)
     * @throws CertificateRequestException naming what is wrong with the request
     */
    public IssuedCertificate sign(String csrPem, Duration requested) {
        Objects.requireNonNull(requested, "requested");
        if (requested.isNegative()) {
            throw new CertificateRequestException("validity_duration: " + requested.toSeconds()
                    + " (expected: 0 for the default of " + MAX_VALIDITY.toHours() + "h, or seconds > 0)");
        }
        CsrCheck.Checked csr = CsrCheck.check(csrPem, trustDomain);
        Duration validity = requested.isZero() || requested.compareTo(MAX_VALIDITY) > 0 ? MAX_VALIDITY : requested;
        Instant now = clock.instant();
        Instant notAfter = now.plus(validity);
        if (notAfter.isAfter(root.notAfter())) {
            notAfter = root.notAfter();
        }
        try {
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer, Certificates.serial(random),
                    Date.from(now.minus(RootCa.BACKDATE)), Date.from(notAfter), new X500Name(new RDN[0]),
                    csr.publicKey());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(rootKeyId));
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    new SubjectKeyIdentifier(Certificates.keyIdentifier(csr.publicKey())));
            // The subject is empty, so the SAN is critical (RFC 5280, 4.2.1.6).
            b.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(
                    new GeneralName(GeneralName.uniformResourceIdentifier, csr.identity().toString())));
            return new IssuedCertificate(csr.identity(),
                    List.of(Certificates.sign(b, root.privateKey()), root.certificate()));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + csr.identity(), e);
        }
    }
}
