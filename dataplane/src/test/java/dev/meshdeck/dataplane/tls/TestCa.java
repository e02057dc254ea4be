package dev.meshdeck.dataplane.tls;

import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * A CA for tests, standing in for the controller's (which the dataplane cannot import): a self-signed EC
 * root that signs CSRs with BouncyCastle, copying the requested SANs, for both server and client auth, as
 * Istio's CA issues workload certificates. It checks each CSR's signature first. Counts what it issued.
 */
public final class TestCa implements CertificateAuthority {
    private final KeyPair rootKeys;
    private final X509Certificate root;
    private final AtomicLong serial = new AtomicLong(2);
    private final AtomicInteger issued = new AtomicInteger();
    private volatile Duration lifetime = Duration.ofHours(1);
    private volatile boolean failing;

    public TestCa(String name) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            rootKeys = g.generateKeyPair();
            X500Name subject = new X500Name("O=" + name + ",CN=" + name + " root");
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
                    Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), subject, rootKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            root = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(rootKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The lifetime of the certificates it issues from now on. */
    public TestCa lifetime(Duration d) {
        this.lifetime = d;
        return this;
    }

    /** Makes the next signings fail (a CA that is down). */
    public void failing(boolean f) {
        this.failing = f;
    }

    public int issued() {
        return issued.get();
    }

    public X509Certificate root() {
        return root;
    }

    @Override
    public List<String> sign(String csrPem, Duration validity) throws Exception {
        if (failing) {
            throw new IllegalStateException("test CA is down");
        }
        PKCS10CertificationRequest csr;
        try (PEMParser p = new PEMParser(new StringReader(csrPem))) {
            csr = (PKCS10CertificationRequest) p.readObject();
        }
        if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))) {
            throw new IllegalArgumentException("CSR signature does not verify");
        }
        Extensions requested = Extensions.getInstance(csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0]
                .getAttrValues().getObjectAt(0));
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(X500Name.getInstance(root.getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(serial.getAndIncrement()), Date.from(now.minusSeconds(1)), Date.from(now.plus(lifetime)),
                new X500Name(""), csr.getSubjectPublicKeyInfo())
                .addExtension(requested.getExtension(Extension.subjectAlternativeName))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(rootKeys.getPrivate())));
        issued.incrementAndGet();
        return List.of(pem(leaf), pem(root));
    }

    /** PEM of a certificate (or any object BouncyCastle writes). */
    public static String pem(Object object) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(object);
        }
        return w.toString();
    }

    /** A fresh EC P-256 key pair, as the sidecar makes for its workload certificate. */
    public static java.security.KeyPair ecKeys() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** {@code keys}' private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public static String pkcs8(java.security.KeyPair keys) {
        return "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }
}
