package dev.meshdeck.dataplane.tls;

import dev.meshdeck.dataplane.tls.internal.Der;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;

/**
 * A PKCS#10 certificate signing request (RFC 2986) for a workload: an empty subject, the workload's EC
 * public key, and an {@code extensionRequest} attribute asking for exactly one subject alternative name,
 * the SPIFFE ID as a URI (critical, since the subject is empty, as RFC 5280 requires). Signed with
 * SHA256withECDSA. The JDK has no public CSR API and the sidecar carries no BouncyCastle, so it is encoded
 * here with {@link Der}.
 */
public final class CertificateRequest {
    private static final String EXTENSION_REQUEST = "1.2.840.113549.1.9.14";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final int SAN_URI = 6;

    private CertificateRequest() {
    }

    /** The DER-encoded request for {@code id}, signed with {@code keys}' private key (an EC key pair). */
    public static byte[] der(KeyPair keys, SpiffeId id) {
        if (!(keys.getPublic() instanceof ECPublicKey)) {
            throw new IllegalArgumentException("key pair " + keys.getPublic().getAlgorithm() + " (expected: EC)");
        }
        byte[] generalNames = Der.sequence(Der.contextPrimitive(SAN_URI, Der.ia5(id.uri())));
        byte[] extensions = Der.sequence(Der.sequence(
                Der.oid(SUBJECT_ALT_NAME), Der.bool(true), Der.octetString(generalNames)));
        byte[] attributes = Der.contextConstructed(0, Der.sequence(Der.oid(EXTENSION_REQUEST), Der.set(extensions)));
        byte[] info = Der.sequence(
                Der.integer(0),
                Der.sequence(), // subject: empty; the identity is the SAN
                keys.getPublic().getEncoded(), // SubjectPublicKeyInfo, already DER
                attributes);
        byte[] signature;
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(info);
            signature = signer.sign(); // DER ECDSA-Sig-Value, as X.509 wants it
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the certificate request: " + e.getMessage(), e);
        }
        return Der.sequence(info, Der.sequence(Der.oid(ECDSA_WITH_SHA256)), Der.bitString(signature));
    }

    /** The request as PEM ({@code -----BEGIN CERTIFICATE REQUEST-----}), as Istio's CA API takes it. */
    public static String pem(KeyPair keys, SpiffeId id) {
        return "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der(keys, id))
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }
}
