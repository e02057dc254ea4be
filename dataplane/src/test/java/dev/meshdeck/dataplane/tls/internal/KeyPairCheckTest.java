package dev.meshdeck.dataplane.tls.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshdeck.dataplane.tls.CertificateRequest;
import dev.meshdeck.dataplane.tls.SpiffeId;
import dev.meshdeck.dataplane.tls.TestCa;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeyPairCheckTest {
    private final TestCa ca = new TestCa("check");

    @Test
    void aKeyAndTheCertificateIssuedForItPass() throws Exception {
        KeyPair keys = TestCa.ecKeys();

        assertThatCode(() -> KeyPairCheck.check(chain(keys), pkcs8(keys))).doesNotThrowAnyException();
    }

    @Test
    void anotherKeyOfTheSameKindIsRefusedNamingTheCertificate() throws Exception {
        byte[] chain = chain(TestCa.ecKeys());

        assertThatThrownBy(() -> KeyPairCheck.check(chain, pkcs8(TestCa.ecKeys())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the private key does not belong to the certificate for spiffe://cluster.local/ns/web/sa/httpbin ")
                .hasMessageContaining("(serial ");
    }

    @Test
    void anRsaKeyForAnEcCertificateIsRefused() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);

        assertThatThrownBy(() -> KeyPairCheck.check(chain(TestCa.ecKeys()), pkcs8(rsa.generateKeyPair())))
                .hasMessageStartingWith("the private key is not an EC key the certificate can pair with");
    }

    @Test
    void aKeyThatIsNotPkcs8PemIsRefused() throws Exception {
        byte[] chain = chain(TestCa.ecKeys());

        assertThatThrownBy(() -> KeyPairCheck.check(chain, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"
                .getBytes(StandardCharsets.US_ASCII)))
                .hasMessage("no PKCS#8 private key (expected: -----BEGIN PRIVATE KEY-----)");
        assertThatThrownBy(() -> KeyPairCheck.check("not a certificate".getBytes(StandardCharsets.US_ASCII), chain))
                .hasMessageStartingWith("the certificate chain cannot be read");
    }


    private byte[] chain(KeyPair keys) throws Exception {
        return String.join("", ca.sign(CertificateRequest.pem(keys, new SpiffeId("cluster.local", "web", "httpbin")),
                Duration.ofHours(1))).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] pkcs8(KeyPair keys) {
        return TestCa.pkcs8(keys).getBytes(StandardCharsets.US_ASCII);
    }
}
