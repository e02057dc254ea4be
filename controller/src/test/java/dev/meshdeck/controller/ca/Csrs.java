package dev.meshdeck.controller.ca;

import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Certificate requests as a workload makes them: a JDK key pair, a BouncyCastle-built PKCS#10 request. */
final class Csrs {
    private Csrs() {
    }

    static KeyPair ec(String curve) throws GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec(curve));
        return gen.generateKeyPair();
    }

    static KeyPair p256() throws GeneralSecurityException {
        return ec("secp256r1");
    }

    static KeyPair rsa(int bits) throws GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(bits);
        return gen.generateKeyPair();
    }

    /** A request for {@code keys} with these SANs ({@link GeneralName}s), signed with {@code keys}. */
    static String csr(KeyPair keys, GeneralName... sans) throws Exception {
        return csr(keys, keys.getPrivate(), sans);
    }

    /** A request with URI SANs. */
    static String csr(KeyPair keys, String... uris) throws Exception {
        GeneralName[] names = new GeneralName[uris.length];
        for (int i = 0; i < uris.length; i++) {
            names[i] = new GeneralName(GeneralName.uniformResourceIdentifier, uris[i]);
        }
        return csr(keys, keys.getPrivate(), names);
    }

    /** A request for {@code keys}' public key signed by {@code signer} (another key makes a bad signature). */
    static String csr(KeyPair keys, PrivateKey signer, GeneralName... sans) throws Exception {
        PKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(
                new X500Name("O=meshdeck-test"), keys.getPublic());
        if (sans.length > 0) {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(sans));
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
        }
        String alg = signer.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        PKCS10CertificationRequest csr = b.build(new JcaContentSignerBuilder(alg).build(signer));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(csr);
        }
        return out.toString();
    }
}
