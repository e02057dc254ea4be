package dev.meshdeck.dataplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import dev.meshdeck.dataplane.config.ListenerConfig;
import dev.meshdeck.dataplane.config.TlsSettings;
import dev.meshdeck.dataplane.xds.internal.ListenerReader;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Listener TLS chains and file-based cluster TLS, as the controller will send them (decision 0006). */
class TlsReaderTest {
    private static SdsSecretConfig secret(String name) {
        return SdsSecretConfig.newBuilder().setName(name)
                .setSdsConfig(ConfigSource.newBuilder().setAds(io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource.getDefaultInstance()))
                .build();
    }

    /** The inbound mTLS transport socket of the contract: workload certificate, ROOTCA, h2 + http/1.1. */
    private static TransportSocket meshDownstream(String certificateSecret) {
        return TransportSocket.newBuilder().setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(
                DownstreamTlsContext.newBuilder().setRequireClientCertificate(BoolValue.of(true))
                        .setCommonTlsContext(CommonTlsContext.newBuilder()
                                .addTlsCertificateSdsSecretConfigs(secret(certificateSecret))
                                .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                                        .setDefaultValidationContext(CertificateValidationContext.getDefaultInstance())
                                        .setValidationContextSdsSecretConfig(secret("ROOTCA")))
                                .addAlpnProtocols("h2").addAlpnProtocols("http/1.1"))
                        .build())).build();
    }

    private static Listener inbound(boolean permissive, String certificateSecret) {
        FilterChain plain = XdsFixtures.outboundListener().getFilterChains(0);
        Listener.Builder l = XdsFixtures.outboundListener().toBuilder().setName("inbound")
                .setTrafficDirection(io.envoyproxy.envoy.config.core.v3.TrafficDirection.INBOUND)
                .clearFilterChains()
                .addListenerFilters(ListenerFilter.newBuilder().setName("envoy.filters.listener.tls_inspector")
                        .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())))
                .addFilterChains(plain.toBuilder().setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("tls"))
                        .setTransportSocket(meshDownstream(certificateSecret)));
        if (permissive) {
            l.addFilterChains(plain.toBuilder().setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("raw_buffer")));
        }
        return l.build();
    }

    @Test
    void readsAPermissiveInboundListenerWithATlsChainBesideAPlainTextOne() {
        ListenerConfig config = ListenerReader.read(Lite.listener(inbound(true, "default")));

        assertThat(config.tls()).isEqualTo(new TlsSettings.Listener(new TlsSettings.WorkloadSecret(),
                new TlsSettings.Validation(new TlsSettings.WorkloadRoots(), List.of()), true, List.of("h2", "http/1.1"), true));
        assertThat(config.filters()).containsExactly("envoy.filters.http.fault", "envoy.filters.http.router");
    }

    @Test
    void readsAStrictInboundListenerWithOnlyATlsChain() {
        assertThat(ListenerReader.read(Lite.listener(inbound(false, "default"))).tls().plaintextAllowed()).isFalse();
    }

    @Test
    void keepsReadingTodaysOneChainPlainTextListener() {
        assertThat(ListenerReader.read(Lite.listener(XdsFixtures.outboundListener())).tls()).isNull();
    }

    @Test
    void nacksAListenerNamingAnUnknownSdsSecret() {
        assertThatThrownBy(() -> XdsConfigReader.validate(XdsType.LDS, Lite.of(XdsType.LDS, List.of(inbound(true, "spire-svid")))))
                .isInstanceOf(XdsConfigException.class)
                .hasMessageContaining("listener inbound.filter_chains[0].transport_socket[envoy.transport_sockets.tls]")
                .hasMessageEndingWith("secret spire-svid: only the local secrets default and ROOTCA are supported");
    }

    @Test
    void nacksChainsWhoseFiltersDiffer() {
        Listener l = inbound(true, "default");
        Listener different = l.toBuilder().setFilterChains(1, l.getFilterChains(1).toBuilder().clearFilters()
                .addFilters(XdsFixtures.outboundListener(XdsFixtures.router()).getFilterChains(0).getFilters(0))).build();

        assertThatThrownBy(() -> ListenerReader.read(Lite.listener(different)))
                .hasMessageContaining("the TLS and plain-text chains have different filters");
    }

    @Test
    void nacksATlsMatchWithoutTheTlsInspector() {
        Listener l = inbound(true, "default").toBuilder().clearListenerFilters().build();

        assertThatThrownBy(() -> ListenerReader.read(Lite.listener(l))).hasMessageContaining("needs the envoy.filters.listener.tls_inspector");
    }

    private static io.envoyproxy.envoy.config.cluster.v3.Cluster trusting(DataSource.Builder trustedCa) {
        return XdsFixtures.edsCluster(XdsFixtures.V1).toBuilder().setTransportSocket(TransportSocket.newBuilder()
                .setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(UpstreamTlsContext.newBuilder()
                        .setSni("httpbin.org")
                        .setCommonTlsContext(CommonTlsContext.newBuilder().setValidationContext(
                                CertificateValidationContext.newBuilder().setTrustedCa(trustedCa)))
                        .build())))
                .build();
    }

    @Test
    void readsFileBasedSimpleTlsForAnExternalService() throws Exception {
        String root = dev.meshdeck.dataplane.tls.TestCa.pem(new dev.meshdeck.dataplane.tls.TestCa("external").root());
        var cluster = trusting(DataSource.newBuilder().setInlineString(root));

        TlsSettings.Upstream tls = dev.meshdeck.dataplane.xds.internal.ClusterReader.read(Lite.cluster(cluster)).config().tls();

        assertThat(tls.certificate()).isNull();
        assertThat(tls.validation().trust()).isEqualTo(new TlsSettings.PemRoots(TlsSettings.Pem.inline(root)));
        assertThat(tls.sni()).isEqualTo("httpbin.org");
        assertThat(tls.usesWorkloadIdentity()).isFalse();
    }

    @Test
    void nacksATrustBundleThatHoldsNoCertificate(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path empty = java.nio.file.Files.writeString(dir.resolve("empty.pem"), "");
        java.nio.file.Path key = java.nio.file.Files.writeString(dir.resolve("key.pem"),
                dev.meshdeck.dataplane.tls.TestCa.pkcs8(dev.meshdeck.dataplane.tls.TestCa.ecKeys()));
        var inline = trusting(DataSource.newBuilder().setInlineString("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n"
                + "-----END CERTIFICATE-----\n"));

        assertThatThrownBy(() -> XdsConfigReader.validate(XdsType.CDS, Lite.of(XdsType.CDS,
                List.of(trusting(DataSource.newBuilder().setFilename(empty.toString()))))))
                .hasMessageContaining("validation_context.trusted_ca: file " + empty + " holds no certificate "
                        + "(expected: one or more PEM CERTIFICATE blocks)");
        assertThatThrownBy(() -> XdsConfigReader.validate(XdsType.CDS, Lite.of(XdsType.CDS,
                List.of(trusting(DataSource.newBuilder().setFilename(key.toString()))))))
                .hasMessageContaining("validation_context.trusted_ca: file " + key + ": not a PEM certificate");
        assertThatThrownBy(() -> XdsConfigReader.validate(XdsType.CDS, Lite.of(XdsType.CDS, List.of(inline))))
                .hasMessageContaining("validation_context.trusted_ca: inline PEM: not a PEM certificate");
    }

    @Test
    void nacksACertificateFileThatCannotBeRead() {
        var cluster = XdsFixtures.edsCluster(XdsFixtures.V1).toBuilder().setTransportSocket(TransportSocket.newBuilder()
                .setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(UpstreamTlsContext.newBuilder()
                        .setCommonTlsContext(CommonTlsContext.newBuilder().addTlsCertificates(TlsCertificate.newBuilder()
                                .setCertificateChain(DataSource.newBuilder().setFilename("/no/such/cert.pem"))
                                .setPrivateKey(DataSource.newBuilder().setFilename("/no/such/key.pem"))))
                        .build())))
                .build();

        assertThatThrownBy(() -> XdsConfigReader.validate(XdsType.CDS, Lite.of(XdsType.CDS, List.of(cluster))))
                .hasMessageContaining("tls_certificates[0].certificate_chain.filename: cannot read /no/such/cert.pem");
    }

    @Test
    void nacksAPrivateKeyThatDoesNotBelongToItsCertificate() throws Exception {
        var ca = new dev.meshdeck.dataplane.tls.TestCa("reader");
        var g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        String chain = ca.sign(dev.meshdeck.dataplane.tls.CertificateRequest.pem(g.generateKeyPair(),
                new dev.meshdeck.dataplane.tls.SpiffeId("cluster.local", "web", "httpbin")), java.time.Duration.ofHours(1)).get(0);
        String otherKey = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                g.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        var cluster = XdsFixtures.edsCluster(XdsFixtures.V1).toBuilder().setTransportSocket(TransportSocket.newBuilder()
                .setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(UpstreamTlsContext.newBuilder()
                        .setCommonTlsContext(CommonTlsContext.newBuilder().addTlsCertificates(TlsCertificate.newBuilder()
                                .setCertificateChain(DataSource.newBuilder().setInlineString(chain))
                                .setPrivateKey(DataSource.newBuilder().setInlineString(otherKey))))
                        .build())))
                .build();

        assertThatThrownBy(() -> XdsConfigReader.validate(XdsType.CDS, Lite.of(XdsType.CDS, List.of(cluster))))
                .hasMessageContaining("tls_certificates[0]: the private key does not belong to the certificate for spiffe://")
                .hasMessageEndingWith("(expected: certificate_chain and the private_key of its first certificate)");
    }
}
