package dev.meshdeck.controller.ca.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** PEM text to and from certificates, PKCS#8 private keys and PKCS#10 requests. */
public final class Pem {
    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Pem() {
    }

    public static String certificate(X509Certificate cert) {
        try {
            return block("CERTIFICATE", cert.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot encode certificate " + cert.getSubjectX500Principal(), e);
        }
    }

    /** A private key as PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public static String privateKey(PrivateKey key) {
        return block("PRIVATE KEY", key.getEncoded());
    }

    /** The first certificate in {@code pem}; {@code what} names the text in the error. */
    public static X509Certificate parseCertificate(String pem, String what) throws GeneralSecurityException {
        var certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        if (certs.isEmpty()) {
            throw new CertificateException(what + ": no certificate (expected: -----BEGIN CERTIFICATE-----)");
        }
        return (X509Certificate) certs.iterator().next();
    }

    /** A PKCS#8 or traditional (OpenSSL) private key; {@code what} names the text in errors. */
    public static PrivateKey parsePrivateKey(String pem, String what) throws IOException {
        Object o = read(pem);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (o instanceof PrivateKeyInfo info) {
            return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
            return converter.getKeyPair(pair).getPrivate();
        }
        throw new IOException(what + ": no private key (expected: -----BEGIN PRIVATE KEY-----)");
    }

    /** A PKCS#10 request, or {@code null} when the text holds something else or nothing. */
    public static PKCS10CertificationRequest parseCsr(String pem) throws IOException {
        return read(pem) instanceof PKCS10CertificationRequest csr ? csr : null;
    }

    private static Object read(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return parser.readObject();
        } catch (PEMException | IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + BASE64.encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
