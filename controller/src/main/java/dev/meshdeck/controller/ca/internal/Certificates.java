package dev.meshdeck.controller.ca.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

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

    /** Signs {@code builder} with {@code issuerKey} (SHA-256 with ECDSA or RSA, after the key). */
    public static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(issuerKey)).build(issuerKey);
            X509CertificateHolder holder = builder.build(signer);
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with a " + issuerKey.getAlgorithm() + " key", e);
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
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 of a certificate", e);
        }
    }
}
