package dev.meshdeck.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.TlsSettings;
import dev.meshdeck.dataplane.proxy.support.Configs;
import dev.meshdeck.dataplane.proxy.support.LeakGuard;
import dev.meshdeck.dataplane.proxy.support.Proxies;
import dev.meshdeck.dataplane.proxy.support.RawHttp;
import dev.meshdeck.dataplane.proxy.support.TestBackend;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.tls.CertificateRequest;
import dev.meshdeck.dataplane.tls.SecretStore;
import dev.meshdeck.dataplane.tls.SpiffeId;
import dev.meshdeck.dataplane.tls.TlsContexts;
import dev.meshdeck.dataplane.tls.TestCa;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS from PEM files, as Istio's DestinationRule {@code tls.mode: SIMPLE} for a ServiceEntry's HTTPS
 * service makes it: the cluster trusts a CA file and sends an SNI; the HTTPS service here is a sidecar
 * whose listener serves a certificate from files.
 */
@ExtendWith(LeakGuard.class)
class ProxyFileTlsTest {
    private static final String CLUSTER = "outbound|443||httpbin.test";

    @TempDir
    Path dir;
    private final TestCa ca = new TestCa("files");
    private final Stats clientStats = new Stats();
    private Path certFile;
    private Path keyFile;
    private TestBackend app;
    private SidecarProxy https;
    private SidecarProxy client;

    @BeforeEach
    void start() throws Exception {
        certFile = dir.resolve("cert.pem");
        keyFile = dir.resolve("key.pem");
        List<String> chain = writeCertificateAndKey();
        Path cert = certFile;
        Path key = keyFile;
        Files.writeString(dir.resolve("ca.pem"), chain.get(1));
        Files.writeString(dir.resolve("other-ca.pem"), TestCa.pem(new TestCa("other").root()));

        app = new TestBackend("httpbin");
        // PEM files are looked at on every use here (the runtime's default is at most once a second).
        https = Proxies.proxy(ProxyOptions.DEFAULTS.withIoThreads(1), new Stats(),
                new TlsContexts(new SecretStore(), Duration.ZERO));
        https.update(Configs.builder().cluster("inbound|443||", app.port()).inbound("inbound|443||")
                .inboundTls(new TlsSettings.Listener(new TlsSettings.PemCertificate(TlsSettings.Pem.file(cert.toString()),
                        TlsSettings.Pem.file(key.toString())), null, false, List.of(TlsSettings.HTTP_1_1), false))
                .build());
        client = Proxies.proxy(ProxyOptions.DEFAULTS.withIoThreads(1), clientStats,
                new TlsContexts(new SecretStore(), Duration.ZERO));
    }

    @AfterEach
    void stop() {
        client.close();
        https.close();
        app.close();
    }

    @Test
    void aClusterWithSimpleTlsReachesAnHttpsServiceItsCaFileTrusts() throws Exception {
        client.update(config("ca.pem"));

        try (RawHttp http = new RawHttp(client.port(Configs.OUTBOUND).orElseThrow())) {
            RawHttp.Response r = http.get("httpbin.test", "/");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("hello from httpbin");
        }
        assertThat(clientStats.counterValues()).containsEntry("cluster." + CLUSTER + ".ssl.handshake", 1L);
    }

    @Test
    void aServerCertificateFromAnotherCaIs503WithTheVerifyError() throws Exception {
        client.update(config("other-ca.pem"));

        try (RawHttp http = new RawHttp(client.port(Configs.OUTBOUND).orElseThrow())) {
            RawHttp.Response r = http.get("httpbin.test", "/");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).contains("cluster " + CLUSTER).contains("ssl.fail_verify_error");
        }
        assertThat(clientStats.counterValues()).containsEntry("cluster." + CLUSTER + ".ssl.fail_verify_error", 1L)
                .containsEntry("cluster." + CLUSTER + ".ssl.connection_error", 1L);
        assertThat(app.requests()).isZero();
    }

    @Test
    void aCaFileRewrittenOnDiskIsTrustedByTheNextConnection() throws Exception {
        client.update(config("other-ca.pem"));

        try (RawHttp http = new RawHttp(client.port(Configs.OUTBOUND).orElseThrow())) {
            assertThat(http.get("httpbin.test", "/").status()).isEqualTo(503);
            Files.copy(dir.resolve("ca.pem"), dir.resolve("other-ca.pem"), StandardCopyOption.REPLACE_EXISTING);

            assertThat(http.get("httpbin.test", "/").status()).isEqualTo(200);
        }
        assertThat(app.requests()).isEqualTo(1);
    }

    @Test
    void aListenerServesTheCertificateThatReplacedItsFilesAndKeepsTheOldOneWhileTheyAreBroken() throws Exception {
        BigInteger first = servedSerial();

        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        assertThat(servedSerial()).as("an unreadable key leaves the old certificate in use").isEqualTo(first);
        KeyPair next = TestCa.ecKeys();
        Files.writeString(keyFile, TestCa.pkcs8(next));
        assertThat(servedSerial()).as("a new key before its certificate (a rotation between its two writes) too")
                .isEqualTo(first);

        X509Certificate rotated = certificate(writeCertificate(next).get(0));

        assertThat(rotated.getSerialNumber()).isNotEqualTo(first);
        assertThat(servedSerial()).isEqualTo(rotated.getSerialNumber());
    }

    /** A new key pair and a certificate for it, written over {@code cert.pem} and {@code key.pem}; the CA's chain. */
    private List<String> writeCertificateAndKey() throws Exception {
        KeyPair keys = TestCa.ecKeys();
        Files.writeString(keyFile, TestCa.pkcs8(keys));
        return writeCertificate(keys);
    }

    /** A certificate for {@code keys} written over {@code cert.pem}; the CA's chain. */
    private List<String> writeCertificate(KeyPair keys) throws Exception {
        List<String> chain = ca.sign(CertificateRequest.pem(keys, new SpiffeId("cluster.local", "web", "httpbin")),
                Duration.ofHours(1));
        Files.writeString(certFile, chain.get(0));
        return chain;
    }



    /** The serial number of the certificate the HTTPS listener presents to a new TLS connection. */
    private BigInteger servedSerial() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1",
                https.port(Configs.INBOUND).orElseThrow())) {
            socket.setSoTimeout(5_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private dev.meshdeck.dataplane.config.ProxyConfig config(String caFile) {
        TlsSettings.Upstream tls = new TlsSettings.Upstream(null, new TlsSettings.Validation(
                new TlsSettings.PemRoots(TlsSettings.Pem.file(dir.resolve(caFile).toString())), List.of()),
                "httpbin.test", List.of());
        return Configs.builder()
                .cluster(new ClusterConfig(CLUSTER, ClusterConfig.LbPolicy.ROUND_ROBIN, 0, Duration.ofSeconds(5), null,
                        null, List.of(new ClusterConfig.Endpoint("127.0.0.1", https.port(Configs.INBOUND).orElseThrow(), 1)))
                        .withTls(tls))
                .host("httpbin.test", CLUSTER)
                .build();
    }
}
