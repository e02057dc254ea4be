package dev.meshdeck.controller.ca.internal;

import dev.meshdeck.controller.ca.CertificateRequestException;
import dev.meshdeck.controller.ca.SpiffeId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Checks a workload's PKCS#10 request the way the mesh CA requires: a signature made with the request's own
 * key, an EC P-256 or RSA ≥ 2048 key, and as subjectAltName exactly one URI, the workload's SPIFFE ID in
 * the mesh's trust domain. Everything else in the request (subject, other extensions) is ignored: the CA
 * decides what the certificate says.
 */
public final class CsrCheck {
    public static final int MIN_RSA_BITS = 2048;
    private static final String KEYS = "EC P-256, or RSA of " + MIN_RSA_BITS + " bits or more";

    /** A request that passed: the key to certify and the identity to put in the certificate. */
    public record Checked(SubjectPublicKeyInfo publicKey, SpiffeId identity) {
    }

    private CsrCheck() {
    }

    /** @throws CertificateRequestException naming the first thing wrong with {@code pem} */
    public static Checked check(String pem, String trustDomain) {
        PKCS10CertificationRequest csr = parse(pem);
        SubjectPublicKeyInfo key = csr.getSubjectPublicKeyInfo();
        requireStrongKey(key);
        requireValidSignature(csr);
        return new Checked(key, identity(csr, trustDomain));
    }

    private static PKCS10CertificationRequest parse(String pem) {
        String expected = " (expected: a PKCS#10 request in PEM, -----BEGIN CERTIFICATE REQUEST-----)";
        if (pem == null || pem.isBlank()) {
            throw new CertificateRequestException("csr: empty" + expected);
        }
        PKCS10CertificationRequest csr;
        try {
            csr = Pem.parseCsr(pem);
        } catch (IOException | RuntimeException e) {
            throw new CertificateRequestException("csr: unreadable (" + e.getMessage() + ")" + expected, e);
        }
        if (csr == null) {
            throw new CertificateRequestException("csr: not a certificate request" + expected);
        }
        return csr;
    }

    private static void requireStrongKey(SubjectPublicKeyInfo key) {
        ASN1ObjectIdentifier alg = key.getAlgorithm().getAlgorithm();
        if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            var params = key.getAlgorithm().getParameters();
            if (params instanceof ASN1ObjectIdentifier curve && curve.equals(SECObjectIdentifiers.secp256r1)) {
                return;
            }
            String name = params instanceof ASN1ObjectIdentifier curve
                    ? nameOr(ECNamedCurveTable.getName(curve), curve.getId()) : "explicit curve parameters";
            throw new CertificateRequestException("csr: EC key on " + name + " (expected: " + KEYS + ")");
        }
        if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            int bits;
            try {
                bits = RSAPublicKey.getInstance(key.parsePublicKey()).getModulus().bitLength();
            } catch (IOException | RuntimeException e) {
                throw new CertificateRequestException("csr: unreadable RSA key (expected: " + KEYS + ")", e);
            }
            if (bits < MIN_RSA_BITS) {
                throw new CertificateRequestException("csr: RSA key of " + bits + " bits (expected: " + KEYS + ")");
            }
            return;
        }
        String name = alg.equals(EdECObjectIdentifiers.id_Ed25519) ? "Ed25519"
                : alg.equals(EdECObjectIdentifiers.id_Ed448) ? "Ed448" : "algorithm " + alg.getId();
        throw new CertificateRequestException("csr: " + name + " key (expected: " + KEYS + ")");
    }

    private static void requireValidSignature(PKCS10CertificationRequest csr) {
        boolean valid;
        try {
            valid = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()));
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            throw new CertificateRequestException("csr: signature cannot be checked (" + e.getMessage()
                    + ") (expected: SHA-256 with ECDSA or RSA, by the request's own key)", e);
        }
        if (!valid) {
            throw new CertificateRequestException("csr: signature does not verify with the request's public key"
                    + " (expected: the request signed by the key it asks a certificate for)");
        }
    }

    private static SpiffeId identity(PKCS10CertificationRequest csr, String trustDomain) {
        String expected = " (expected: exactly one URI SAN, spiffe://" + trustDomain
                + "/ns/<namespace>/sa/<service-account>)";
        Attribute[] requests = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
        if (requests.length > 1) {
            throw new CertificateRequestException("csr: " + requests.length
                    + " extensionRequest attributes (expected: one, holding the subjectAltName)");
        }
        GeneralNames names = null;
        if (requests.length == 1 && requests[0].getAttrValues().size() > 0) {
            try {
                Extensions ext = Extensions.getInstance(requests[0].getAttrValues().getObjectAt(0));
                names = GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
            } catch (RuntimeException e) {
                throw new CertificateRequestException("csr: unreadable extensionRequest" + expected, e);
            }
        }
        if (names == null || names.getNames().length == 0) {
            throw new CertificateRequestException("csr: no subjectAltName" + expected);
        }
        List<String> uris = new ArrayList<>();
        for (GeneralName n : names.getNames()) {
            if (n.getTagNo() != GeneralName.uniformResourceIdentifier) {
                throw new CertificateRequestException("csr: subjectAltName has " + describe(n) + expected);
            }
            uris.add(n.getName().toString());
        }
        if (uris.size() > 1) {
            throw new CertificateRequestException("csr: " + uris.size() + " URI SANs " + uris + expected);
        }
        SpiffeId id;
        try {
            id = SpiffeId.parse(uris.get(0));
        } catch (IllegalArgumentException e) {
            throw new CertificateRequestException("csr: subjectAltName " + e.getMessage().replace(
                    SpiffeId.FORM, "spiffe://" + trustDomain + "/ns/<namespace>/sa/<service-account>"), e);
        }
        if (!id.trustDomain().equals(trustDomain)) {
            throw new CertificateRequestException("csr: subjectAltName " + id + " is in trust domain \""
                    + id.trustDomain() + "\" (expected: the mesh's, \"" + trustDomain + "\")");
        }
        return id;
    }

    private static String describe(GeneralName n) {
        return switch (n.getTagNo()) {
            case GeneralName.dNSName -> "DNS name " + n.getName();
            case GeneralName.rfc822Name -> "email address " + n.getName();
            case GeneralName.directoryName -> "directory name " + n.getName();
            case GeneralName.iPAddress -> "an IP address";
            default -> "a name of type " + n.getTagNo();
        };
    }

    private static String nameOr(String name, String fallback) {
        return name != null ? name : fallback;
    }
}
