package dev.meshdeck.dataplane.tls.internal;

import dev.meshdeck.dataplane.tls.WorkloadCertificate;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a PEM private key (PKCS#8) belongs to the first certificate of a PEM chain: a signature made with
 * the key must verify with the certificate's public key. A certificate and key rewritten on disk one after the
 * other can be caught between the two writes; a TLS context built from such a pair would fail every handshake.
 * A key algorithm this JDK cannot sign with (RSASSA-PSS, whose parameters vary) passes unchecked.
 */
public final class KeyPairCheck {
    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final byte[] PROBE = "meshdeck key pair check".getBytes(StandardCharsets.US_ASCII);

    private KeyPairCheck() {
    }

    /**
     * Checks that {@code keyPem} is the private key of {@code chainPem}'s first certificate.
     *
     * @throws IllegalArgumentException naming what does not fit, when it is not, or when either cannot be read
     */
    public static void check(byte[] chainPem, byte[] keyPem) {
        X509Certificate leaf;
        try {
            List<X509Certificate> chain = WorkloadCertificate.parsePem(new String(chainPem, StandardCharsets.US_ASCII));
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("no certificate in the chain");
            }
            leaf = chain.getFirst();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the certificate chain cannot be read: " + e.getMessage(), e);
        }
        PrivateKey key = privateKey(keyPem, leaf.getPublicKey().getAlgorithm());
        if (Boolean.FALSE.equals(signs(key, leaf.getPublicKey()))) {
            throw new IllegalArgumentException("the private key does not belong to the certificate for "
                    + name(leaf) + " (serial " + leaf.getSerialNumber().toString(16) + ")");
        }
    }

    /** The certificate's subject, or its first subject alternative name when the subject is empty (SPIFFE). */
    private static String name(X509Certificate cert) {
        String subject = cert.getSubjectX500Principal().getName();
        if (!subject.isEmpty()) {
            return subject;
        }
        try {
            var sans = cert.getSubjectAlternativeNames();
            if (sans != null && !sans.isEmpty()) {
                return String.valueOf(sans.iterator().next().get(1));
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // fall through: no readable name
        }
        return "(no subject)";
    }

    private static PrivateKey privateKey(byte[] pem, String algorithm) {
        Matcher m = PKCS8.matcher(new String(pem, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IllegalArgumentException("no PKCS#8 private key (expected: -----BEGIN PRIVATE KEY-----)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(1).strip());
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the private key is not an " + algorithm + " key the certificate can "
                    + "pair with: " + e.getMessage(), e);
        }
    }

    /** Whether a signature by {@code key} verifies with {@code pub}; null when this JDK cannot tell. */
    private static Boolean signs(PrivateKey key, PublicKey pub) {
        String algorithm = switch (pub.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> pub.getAlgorithm(); // EdDSA, Ed25519, Ed448 sign with their own names
        };
        try {
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(PROBE);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(pub);
            verify.update(PROBE);
            return verify.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
