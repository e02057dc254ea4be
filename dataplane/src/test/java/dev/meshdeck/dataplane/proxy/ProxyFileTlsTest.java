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
import dev.meshdeck.dataplane.tls.SpiffeId;
import dev.meshdeck.dataplane.tls.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
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
    private TestBackend app;
    private SidecarProxy https;
    private SidecarProxy client;

    @BeforeEach
    void start() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        List<String> chain = ca.sign(CertificateRequest.pem(keys, new SpiffeId("cluster.local", "web", "httpbin")),
                Duration.ofHours(1));
        Path cert = Files.writeString(dir.resolve("cert.pem"), chain.get(0));
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("ca.pem"), chain.get(1));
        Files.writeString(dir.resolve("other-ca.pem"), TestCa.pem(new TestCa("other").root()));

        app = new TestBackend("httpbin");
        https = Proxies.proxy(ProxyOptions.DEFAULTS.withIoThreads(1), new Stats());
        https.update(Configs.builder().cluster("inbound|443||", app.port()).inbound("inbound|443||")
                .inboundTls(new TlsSettings.Listener(new TlsSettings.PemCertificate(TlsSettings.Pem.file(cert.toString()),
                        TlsSettings.Pem.file(key.toString())), null, false, List.of(TlsSettings.HTTP_1_1), false))
                .build());
        client = Proxies.proxy(ProxyOptions.DEFAULTS.withIoThreads(1), clientStats);
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
