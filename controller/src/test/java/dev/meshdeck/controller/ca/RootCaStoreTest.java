package dev.meshdeck.controller.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootCaStoreTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path tmp;

    @Test
    void createsARootOnFirstUseAndKeepsItAfterwards() throws Exception {
        Path dir = tmp.resolve("ca");

        RootCa created = RootCaStore.loadOrCreate(dir, "cluster.local", CLOCK, random);
        RootCa loaded = RootCaStore.loadOrCreate(dir, "cluster.local", CLOCK, random);

        assertThat(loaded.certificate()).isEqualTo(created.certificate());
        assertThat(loaded.fingerprint()).isEqualTo(created.fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(loaded.trustDomain()).isEqualTo("cluster.local");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(RootCaStore.KEY_FILE))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(Files.readString(dir.resolve(RootCaStore.KEY_FILE))).startsWith("-----BEGIN PRIVATE KEY-----\n");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(RootCaStore.CERT_FILE, RootCaStore.KEY_FILE);
        }
        // What was loaded can sign: the key is the certificate's.
        MeshCa ca = new MeshCa(loaded, CLOCK, random);
        ca.sign(Csrs.csr(Csrs.p256(), "spiffe://cluster.local/ns/default/sa/x"), Duration.ZERO).leaf()
                .verify(created.certificate().getPublicKey());
    }

    @Test
    void theRootIsATenYearCaForItsTrustDomainOnly() throws Exception {
        X509Certificate root = RootCaStore.loadOrCreate(tmp.resolve("ca"), "mesh.example", CLOCK, random).certificate();

        assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=Meshdeck Root CA,O=mesh.example");
        assertThat(root.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
        root.verify(root.getPublicKey());
        assertThat(root.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(root.getBasicConstraints()).isZero();
        assertThat(root.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(root.getCriticalExtensionOIDs()).contains("2.5.29.30"); // name constraints
        assertThat(root.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3650)));
    }

    @Test
    void refusesARootOfAnotherTrustDomain() throws Exception {
        Path dir = tmp.resolve("ca");
        RootCaStore.loadOrCreate(dir, "cluster.local", CLOCK, random);

        assertThatThrownBy(() -> RootCaStore.loadOrCreate(dir, "mesh.example", CLOCK, random))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is for trust domain \"cluster.local\" (expected: \"mesh.example\"")
                .hasMessageContaining("move " + dir + " away");
    }

    @Test
    void refusesACertificateWithoutItsKey() throws Exception {
        Path dir = tmp.resolve("ca");
        RootCaStore.loadOrCreate(dir, "cluster.local", CLOCK, random);
        Files.delete(dir.resolve(RootCaStore.KEY_FILE));

        assertThatThrownBy(() -> RootCaStore.loadOrCreate(dir, "cluster.local", CLOCK, random))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has no root-key.pem beside it");
    }

    @Test
    void refusesAKeyThatIsNotTheCertificates() throws Exception {
        Path dir = tmp.resolve("ca");
        RootCaStore.loadOrCreate(dir, "cluster.local", CLOCK, random);
        RootCa other = RootCaStore.loadOrCreate(tmp.resolve("other"), "cluster.local", CLOCK, random);
        Files.copy(tmp.resolve("other").resolve(RootCaStore.KEY_FILE), dir.resolve(RootCaStore.KEY_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThat(other).isNotNull();
        assertThatThrownBy(() -> RootCaStore.loadOrCreate(dir, "cluster.local", CLOCK, random))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("the root key does not belong to root certificate");
    }

    @Test
    void refusesAnExpiredRoot() throws Exception {
        Path dir = tmp.resolve("ca");
        RootCaStore.loadOrCreate(dir, "cluster.local", CLOCK, random);
        Clock later = Clock.fixed(NOW.plus(Duration.ofDays(3651)), ZoneOffset.UTC);

        assertThatThrownBy(() -> RootCaStore.loadOrCreate(dir, "cluster.local", later, random))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("expired on");
    }

    @Test
    void makesANewRootWhenACrashLeftOnlyTheKey() throws Exception {
        Path dir = tmp.resolve("ca");
        RootCa first = RootCaStore.loadOrCreate(dir, "cluster.local", CLOCK, random);
        Files.delete(dir.resolve(RootCaStore.CERT_FILE));

        RootCa second = RootCaStore.loadOrCreate(dir, "cluster.local", CLOCK, random);

        assertThat(second.fingerprint()).isNotEqualTo(first.fingerprint());
        assertThat(RootCaStore.loadOrCreate(dir, "cluster.local", CLOCK, random).fingerprint())
                .isEqualTo(second.fingerprint());
    }
}
