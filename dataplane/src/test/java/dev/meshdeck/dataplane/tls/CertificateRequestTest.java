package dev.meshdeck.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

/** The hand-made PKCS#10 request, parsed and verified by BouncyCastle (test scope only). */
class CertificateRequestTest {
    private static final SpiffeId ID = new SpiffeId("cluster.local", "default", "reviews");

    @Test
    void encodesAPkcs10RequestWhoseSignatureVerifiesAndWhoseOnlySanIsTheSpiffeUri() throws Exception {
        KeyPair keys = ecKeys();
        String pem = CertificateRequest.pem(keys, ID);

        PKCS10CertificationRequest csr;
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            csr = (PKCS10CertificationRequest) p.readObject();
        }
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(keys.getPublic()))).isTrue();
        assertThat(csr.getSubjectPublicKeyInfo().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
        assertThat(csr.getSubject().getRDNs()).isEmpty();
        assertThat(csr.getSignatureAlgorithm().getAlgorithm().getId()).isEqualTo("1.2.840.10045.4.3.2");
        var attributes = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
        assertThat(attributes).hasSize(1);
        Extensions extensions = Extensions.getInstance(attributes[0].getAttrValues().getObjectAt(0));
        assertThat(extensions.getExtensionOIDs()).containsExactly(Extension.subjectAlternativeName);
        assertThat(extensions.getExtension(Extension.subjectAlternativeName).isCritical()).isTrue();
        GeneralName[] names = GeneralNames.getInstance(extensions.getExtensionParsedValue(Extension.subjectAlternativeName))
                .getNames();
        assertThat(names).hasSize(1);
        assertThat(names[0].getTagNo()).isEqualTo(GeneralName.uniformResourceIdentifier);
        assertThat(names[0].getName().toString()).isEqualTo("spiffe://cluster.local/ns/default/sa/reviews");
    }

    @Test
    void aSignatureMadeWithAnotherKeyDoesNotVerify() throws Exception {
        KeyPair keys = ecKeys();
        byte[] der = CertificateRequest.der(keys, ID);
        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(der);

        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ecKeys().getPublic()))).isFalse();
    }

    @Test
    void theTestCaIssuesACertificateTheSidecarAcceptsAsItsIdentity() throws Exception {
        KeyPair keys = ecKeys();
        TestCa ca = new TestCa("mesh");

        WorkloadCertificate cert = WorkloadCertificate.fromCaChain(ID, keys,
                ca.sign(CertificateRequest.pem(keys, ID), java.time.Duration.ofHours(1)));

        assertThat(Sans.uris(cert.leaf())).containsExactly(ID.uri());
        assertThat(cert.roots()).containsExactly(ca.root());
        cert.leaf().verify(ca.root().getPublicKey());
    }

    static KeyPair ecKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }
}
