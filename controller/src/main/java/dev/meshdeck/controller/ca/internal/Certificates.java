package dev.meshdeck.controller.ca.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

/** What issuing a certificate takes whoever the subject: serial numbers, the signature, conversions. */
public final class Certificates {
    private Certificates() {
    }

    /** A random positive serial number of up to 128 bits (RFC 5280 allows 20 octets). */
    public static BigInteger serial(SecureRandom random) {
        byte[] bytes = new byte[16];
        BigInteger serial;
        do {
            random.nextBytes(bytes);
            serial = new BigInteger(1, bytes);
        } while (serial.signum() == 0);
        return serial;
    }

    /**
     * Signs {@code builder} with {@code issuerKey} (SHA-256 with ECDSA or RSA, after the key) through the
     * JDK's {@link Signature} directly: BouncyCastle's JCA signer builder costs a controller's start a few
     * hundred milliseconds of class initialisation.
     */
    public static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws GeneralSecurityException {
        Signature signature = Signature.getInstance(signatureAlgorithm(issuerKey));
        signature.initSign(issuerKey);
        X509CertificateHolder holder = builder.build(new JdkSigner(algorithmIdentifier(issuerKey), signature));
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
        } catch (IOException e) {
            throw new CertificateException("cannot encode the certificate just signed", e);
        }
    }

    /** The key identifier of RFC 5280 4.2.1.2, method 1: SHA-1 of the subjectPublicKey bits. */
    public static byte[] keyIdentifier(SubjectPublicKeyInfo key) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(key.getPublicKeyData().getBytes());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 for a key identifier", e);
        }
    }

    public static SubjectPublicKeyInfo keyInfo(PublicKey key) {
        return SubjectPublicKeyInfo.getInstance(key.getEncoded());
    }

    private static AlgorithmIdentifier algorithmIdentifier(PrivateKey key) {
        return key.getAlgorithm().equals("EC")
                ? new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256)
                : new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE);
    }

    /** A content signer over a JDK {@link Signature}, for one certificate. */
    private static final class JdkSigner implements ContentSigner {
        private final AlgorithmIdentifier algorithm;
        private final Signature signature;
        private final ByteArrayOutputStream content = new ByteArrayOutputStream(1024);

        JdkSigner(AlgorithmIdentifier algorithm, Signature signature) {
            this.algorithm = algorithm;
            this.signature = signature;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
        }

        @Override
        public OutputStream getOutputStream() {
            return content;
        }

        @Override
        public byte[] getSignature() {
            try {
                signature.update(content.toByteArray());
                return signature.sign();
            } catch (SignatureException e) {
                throw new IllegalStateException("cannot sign a certificate", e);
            }
        }
    }

    /** The signature algorithm for a key of the CA. */
    public static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("CA key algorithm " + key.getAlgorithm()
                    + " (expected: EC or RSA)");
        };
    }

    /** The SHA-256 of the DER certificate, as colon-separated upper-case hex (as {@code openssl x509 -fingerprint}). */
    public static String sha256Fingerprint(X509Certificate cert) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 of a certificate", e);
        }
    }
}
