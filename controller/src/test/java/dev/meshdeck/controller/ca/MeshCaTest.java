package dev.meshdeck.controller.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.Test;

class MeshCaTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String REVIEWS = "spiffe://cluster.local/ns/default/sa/bookinfo-reviews";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final MeshCa ca = MeshCa.inMemory("cluster.local", CLOCK);

    @Test
    void signsAWorkloadRequestWithAChainEndingInTheRoot() throws Exception {
        KeyPair keys = Csrs.p256();

        IssuedCertificate issued = ca.sign(Csrs.csr(keys, REVIEWS), Duration.ZERO);

        assertThat(issued.identity()).isEqualTo(new SpiffeId("cluster.local", "default", "bookinfo-reviews"));
        assertThat(issued.chain()).hasSize(2);
        assertThat(issued.chain().get(1)).isEqualTo(ca.root().certificate());
        X509Certificate leaf = issued.leaf();
        leaf.verify(ca.root().certificate().getPublicKey());
        assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.root().certificate().getSubjectX500Principal());
        assertThat(leaf.getSubjectX500Principal().getName()).isEmpty();
        assertThat(leaf.getSubjectAlternativeNames())
                .containsExactly(List.of(GeneralName.uniformResourceIdentifier, REVIEWS));
        assertThat(leaf.getCriticalExtensionOIDs()).contains("2.5.29.17"); // SAN: critical with an empty subject
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        boolean[] usage = leaf.getKeyUsage();
        assertThat(usage[0]).as("digitalSignature").isTrue();
        assertThat(usage[2]).as("keyEncipherment").isTrue();
        assertThat(usage[5]).as("keyCertSign").isFalse();
        assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
        assertThat(leaf.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThat(leaf.getSerialNumber().signum()).isPositive();
        assertThat(leaf.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
    }

    @Test
    void theChainPassesPkixValidationWithTheRootAsTheOnlyAnchor() throws Exception {
        IssuedCertificate issued = ca.sign(Csrs.csr(Csrs.p256(), REVIEWS), Duration.ofHours(1));

        // The root's path length and its name constraint on the trust domain are enforced here.
        var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(issued.leaf()));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca.root().certificate(), null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(NOW));
        CertPathValidator.getInstance("PKIX").validate(path, params);
    }

    @Test
    void theRootIsConstrainedToUriSansOfItsTrustDomain() throws Exception {
        // The JDK's PKIX supports no name constraints on a trust anchor; OpenSSL and Go apply the root's.
        NameConstraints nc = NameConstraints.getInstance(ASN1OctetString.getInstance(
                ca.root().certificate().getExtensionValue(Extension.nameConstraints.getId())).getOctets());

        assertThat(ca.root().certificate().getCriticalExtensionOIDs()).contains(Extension.nameConstraints.getId());
        assertThat(nc.getExcludedSubtrees()).isNull();
        assertThat(nc.getPermittedSubtrees()).extracting(GeneralSubtree::getBase)
                .containsExactly(new GeneralName(GeneralName.uniformResourceIdentifier, "cluster.local"));
    }

    @Test
    void issuesForTheRequestedTimeUpToADay() throws Exception {
        KeyPair keys = Csrs.p256();
        String csr = Csrs.csr(keys, REVIEWS);

        assertThat(ca.sign(csr, Duration.ofSeconds(3600)).leaf().getNotAfter().toInstant())
                .isEqualTo(NOW.plusSeconds(3600));
        assertThat(ca.sign(csr, Duration.ofDays(7)).leaf().getNotAfter().toInstant())
                .isEqualTo(NOW.plus(MeshCa.MAX_VALIDITY));
        assertThat(ca.sign(csr, Duration.ofSeconds(Long.MAX_VALUE)).leaf().getNotAfter().toInstant())
                .isEqualTo(NOW.plus(MeshCa.MAX_VALIDITY));
    }

    @Test
    void givesEveryCertificateItsOwnSerial() throws Exception {
        String csr = Csrs.csr(Csrs.p256(), REVIEWS);

        assertThat(ca.sign(csr, Duration.ZERO).leaf().getSerialNumber())
                .isNotEqualTo(ca.sign(csr, Duration.ZERO).leaf().getSerialNumber());
    }

    @Test
    void neverIssuesBeyondTheRoot() throws Exception {
        Instant late = NOW.plus(RootCa.VALIDITY).minus(Duration.ofHours(1));
        MeshCa old = new MeshCa(ca.root(), Clock.fixed(late, ZoneOffset.UTC), new SecureRandom());

        X509Certificate leaf = old.sign(Csrs.csr(Csrs.p256(), REVIEWS), Duration.ZERO).leaf();

        assertThat(leaf.getNotAfter()).isEqualTo(ca.root().certificate().getNotAfter());
    }

    @Test
    void acceptsRsaKeysOf2048Bits() throws Exception {
        KeyPair keys = Csrs.rsa(2048);

        assertThat(ca.sign(Csrs.csr(keys, REVIEWS), Duration.ZERO).leaf().getPublicKey()).isEqualTo(keys.getPublic());
    }

    @Test
    void rejectsARequestSignedWithAnotherKey() throws Exception {
        String csr = Csrs.csr(Csrs.p256(), Csrs.p256().getPrivate(),
                new GeneralName(GeneralName.uniformResourceIdentifier, REVIEWS));

        assertThatThrownBy(() -> ca.sign(csr, Duration.ZERO))
                .isInstanceOf(CertificateRequestException.class)
                .hasMessageContaining("signature does not verify");
    }

    @Test
    void rejectsARequestWithoutASan() throws Exception {
        assertThatThrownBy(() -> ca.sign(Csrs.csr(Csrs.p256(), new GeneralName[0]), Duration.ZERO))
                .isInstanceOf(CertificateRequestException.class)
                .hasMessage("csr: no subjectAltName (expected: exactly one URI SAN,"
                        + " spiffe://cluster.local/ns/<namespace>/sa/<service-account>)");
    }

    @Test
    void rejectsARequestForTwoIdentities() throws Exception {
        String csr = Csrs.csr(Csrs.p256(), REVIEWS, "spiffe://cluster.local/ns/default/sa/bookinfo-ratings");

        assertThatThrownBy(() -> ca.sign(csr, Duration.ZERO))
                .isInstanceOf(CertificateRequestException.class)
                .hasMessageStartingWith("csr: 2 URI SANs [" + REVIEWS)
                .hasMessageContaining("expected: exactly one URI SAN");
    }

    @Test
    void rejectsADnsNameBesideTheIdentity() throws Exception {
        String csr = Csrs.csr(Csrs.p256(), new GeneralName(GeneralName.uniformResourceIdentifier, REVIEWS),
                new GeneralName(GeneralName.dNSName, "reviews.default.svc"));

        assertThatThrownBy(() -> ca.sign(csr, Duration.ZERO))
                .isInstanceOf(CertificateRequestException.class)
                .hasMessageStartingWith("csr: subjectAltName has DNS name reviews.default.svc (expected:");
    }

    @Test
    void rejectsAUriThatIsNotAnIstioWorkloadIdentity() throws Exception {
        assertThatThrownBy(() -> ca.sign(Csrs.csr(Csrs.p256(), "https://reviews.example.com/"), Duration.ZERO))
                .isInstanceOf(CertificateRequestException.class)
                .hasMessageContaining("is not a SPIFFE ID")
                .hasMessageContaining("spiffe://cluster.local/ns/<namespace>/sa/<service-account>");
        assertThatThrownBy(() -> ca.sign(Csrs.csr(Csrs.p256(), "spiffe://cluster.local/workload/reviews"),
                Duration.ZERO))
                .isInstanceOf(CertificateRequestException.class)
                .hasMessageContaining("is not an Istio workload identity");
        assertThatThrownBy(() -> ca.sign(Csrs.csr(Csrs.p256(), "spiffe://cluster.local/ns/default/sa/"),
                Duration.ZERO))
                .isInstanceOf(CertificateRequestException.class)
                .hasMessageContaining("service account \"\"");
    }

    @Test
    void rejectsAnIdentityOfAnotherTrustDomain() throws Exception {
        String csr = Csrs.csr(Csrs.p256(), "spiffe://example.org/ns/default/sa/bookinfo-reviews");

        assertThatThrownBy(() -> ca.sign(csr, Duration.ZERO))
                .isInstanceOf(CertificateRequestException.class)
                .hasMessage("csr: subjectAltName spiffe://example.org/ns/default/sa/bookinfo-reviews is in trust"
                        + " domain \"example.org\" (expected: the mesh's, \"cluster.local\")");
    }

    @Test
    void rejectsWeakAndUnsupportedKeys() throws Exception {
        assertThatThrownBy(() -> ca.sign(Csrs.csr(Csrs.rsa(1024), REVIEWS), Duration.ZERO))
                .isInstanceOf(CertificateRequestException.class)
                .hasMessage("csr: RSA key of 1024 bits (expected: EC P-256, or RSA of 2048 bits or more)");
        assertThatThrownBy(() -> ca.sign(Csrs.csr(Csrs.ec("secp384r1"), REVIEWS), Duration.ZERO))
                .isInstanceOf(CertificateRequestException.class)
                .hasMessage("csr: EC key on secp384r1 (expected: EC P-256, or RSA of 2048 bits or more)");
    }

    @Test
    void rejectsTextThatIsNoRequest() {
        assertThatThrownBy(() -> ca.sign("", Duration.ZERO))
                .isInstanceOf(CertificateRequestException.class)
                .hasMessageStartingWith("csr: empty (expected: a PKCS#10 request in PEM");
        assertThatThrownBy(() -> ca.sign(ca.root().certificatePem(), Duration.ZERO))
                .isInstanceOf(CertificateRequestException.class)
                .hasMessageStartingWith("csr: not a certificate request");
        assertThatThrownBy(() -> ca.sign("-----BEGIN CERTIFICATE REQUEST-----\nnot base64!\n"
                + "-----END CERTIFICATE REQUEST-----\n", Duration.ZERO))
                .isInstanceOf(CertificateRequestException.class)
                .hasMessageStartingWith("csr: unreadable");
    }

    @Test
    void rejectsANegativeValidity() throws Exception {
        assertThatThrownBy(() -> ca.sign(Csrs.csr(Csrs.p256(), REVIEWS), Duration.ofSeconds(-1)))
                .isInstanceOf(CertificateRequestException.class)
                .hasMessage("validity_duration: -1 (expected: 0 for the default of 24h, or seconds > 0)");
    }
}
