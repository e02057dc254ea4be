package dev.meshdeck.controller.ca;

import dev.meshdeck.controller.ca.internal.Certificates;
import dev.meshdeck.controller.ca.internal.Pem;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * The mesh's root of trust: a self-signed CA certificate and its private key. The certificate says
 * {@code CN=Meshdeck Root CA, O=<trust domain>}, may sign only end-entity certificates (path length 0), and
 * only for identities in its trust domain: a name constraint permits URI SANs whose host is the trust
 * domain. Verifiers that apply a root's own constraints (OpenSSL, Go) enforce it; the JDK's PKIX supports
 * no constraints on a trust anchor, so a peer's SPIFFE ID must still be checked by whoever verifies it.
 */
public final class RootCa {
    public static final String COMMON_NAME = "Meshdeck Root CA";
    public static final Duration VALIDITY = Duration.ofDays(3650);
    /** How far in the past validity starts, for peers whose clocks are behind. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final String trustDomain;

    private RootCa(X509Certificate certificate, PrivateKey privateKey, String trustDomain) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.trustDomain = trustDomain;
    }

    /** A new root for {@code trustDomain}: an EC P-256 key, valid for ten years from {@code clock}'s now. */
    public static RootCa create(String trustDomain, Clock clock, SecureRandom random) {
        SpiffeId.requireTrustDomain(trustDomain);
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keys = gen.generateKeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, trustDomain)
                    .addRDN(BCStyle.CN, COMMON_NAME)
                    .build();
            Instant now = clock.instant();
            SubjectPublicKeyInfo key = Certificates.keyInfo(keys.getPublic());
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(subject, Certificates.serial(random),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), subject, key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    new SubjectKeyIdentifier(Certificates.keyIdentifier(key)));
            b.addExtension(Extension.nameConstraints, true, new NameConstraints(new GeneralSubtree[] {
                    new GeneralSubtree(new GeneralName(GeneralName.uniformResourceIdentifier, trustDomain))}, null));
            return new RootCa(Certificates.sign(b, keys.getPrivate()), keys.getPrivate(), trustDomain);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create a root CA for " + trustDomain, e);
        }
    }

    /**
     * A root from its PEM files' text, checked: a CA certificate whose key is {@code keyPem}'s.
     *
     * @throws GeneralSecurityException naming what does not fit
     */
    public static RootCa fromPem(String certificatePem, String keyPem) throws GeneralSecurityException {
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(keyPem, "keyPem");
        X509Certificate cert = Pem.parseCertificate(certificatePem, "root certificate");
        PrivateKey key;
        try {
            key = Pem.parsePrivateKey(keyPem, "root key");
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
        if (cert.getBasicConstraints() < 0) {
            throw new GeneralSecurityException("root certificate " + cert.getSubjectX500Principal()
                    + " is not a CA certificate (expected: basicConstraints CA:TRUE)");
        }
        if (!keyMatches(cert, key)) {
            throw new GeneralSecurityException("the root key does not belong to root certificate "
                    + cert.getSubjectX500Principal() + " (expected: the key the certificate was made with)");
        }
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        var orgs = subject.getRDNs(BCStyle.O);
        String trustDomain = orgs.length == 0 ? "" : IETFUtils.valueToString(orgs[0].getFirst().getValue());
        return new RootCa(cert, key, trustDomain);
    }

    private static boolean keyMatches(X509Certificate cert, PrivateKey key) throws GeneralSecurityException {
        byte[] probe = "meshdeck root key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance(Certificates.signatureAlgorithm(key));
        s.initSign(key);
        s.update(probe);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance(Certificates.signatureAlgorithm(key));
        try {
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (java.security.InvalidKeyException | java.security.SignatureException e) {
            return false; // a key of another algorithm, or another key
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    /** The trust domain the root was made for (its subject's {@code O}). */
    public String trustDomain() {
        return trustDomain;
    }

    public String certificatePem() {
        return Pem.certificate(certificate);
    }

    String privateKeyPem() {
        return Pem.privateKey(privateKey);
    }

    /** The SHA-256 fingerprint of the certificate ({@code AB:CD:...}), as {@code openssl x509 -fingerprint} shows it. */
    public String fingerprint() {
        return Certificates.sha256Fingerprint(certificate);
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }
}
