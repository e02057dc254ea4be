package dev.meshdeck.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshdeck.dataplane.config.TlsSettings;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contexts built from PEM files: cached per settings, rebuilt when the files change, at most once per interval. */
class TlsContextsTest {
    @TempDir
    Path dir;
    private final TestCa ca = new TestCa("contexts");

    @Test
    void aContextIsReusedWhileItsFilesStayTheSame() throws Exception {
        TlsSettings.Listener settings = listener();
        TlsContexts contexts = new TlsContexts(new SecretStore(), Duration.ZERO);

        SslContext first = contexts.server(settings);

        assertThat(contexts.server(settings)).isSameAs(first);
    }

    @Test
    void aRewrittenFileRebuildsTheContextOnItsNextUse() throws Exception {
        TlsSettings.Listener settings = listener();
        TlsContexts contexts = new TlsContexts(new SecretStore(), Duration.ZERO);
        SslContext first = contexts.server(settings);

        write(TestCa.ecKeys());

        assertThat(contexts.server(settings)).isNotSameAs(first);
    }

    @Test
    void filesAreNotLookedAtAgainWithinTheInterval() throws Exception {
        TlsSettings.Listener settings = listener();
        TlsContexts contexts = new TlsContexts(new SecretStore(), Duration.ofHours(1));
        SslContext first = contexts.server(settings);

        write(TestCa.ecKeys());

        assertThat(contexts.server(settings)).isSameAs(first);
    }

    @Test
    void aFirstContextFromFilesThatDoNotFitFailsNamingWhy() throws Exception {
        TlsSettings.Listener settings = listener();
        Files.writeString(dir.resolve("key.pem"), TestCa.pkcs8(TestCa.ecKeys()));

        assertThatThrownBy(() -> new TlsContexts(new SecretStore()).server(settings))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot set up TLS: the private key does not belong to the certificate for ");
    }

    private TlsSettings.Listener listener() throws Exception {
        write(TestCa.ecKeys());
        return new TlsSettings.Listener(new TlsSettings.PemCertificate(
                TlsSettings.Pem.file(dir.resolve("cert.pem").toString()), TlsSettings.Pem.file(dir.resolve("key.pem").toString())),
                null, false, List.of(TlsSettings.HTTP_1_1), false);
    }

    private void write(KeyPair keys) throws Exception {
        Files.writeString(dir.resolve("key.pem"), TestCa.pkcs8(keys));
        Files.writeString(dir.resolve("cert.pem"), ca.sign(CertificateRequest.pem(keys,
                new SpiffeId("cluster.local", "web", "httpbin")), Duration.ofHours(1)).get(0));
    }


}
