package dev.meshdeck.controller.translate.internal;

import com.google.protobuf.BoolValue;
import dev.meshdeck.controller.config.DestinationRule.Tls;
import dev.meshdeck.controller.translate.XdsNames;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateProviderPluginInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import java.util.Optional;

/**
 * The client-side TLS of a cluster, from a DestinationRule's {@code tls}, and the server side of mesh
 * mutual TLS on a sidecar's inbound listener. {@code ISTIO_MUTUAL} takes the
 * workload certificate and the mesh root over SDS (secrets {@code default} and {@code ROOTCA}, as Istio
 * names them) for Envoy, and from the certificate-provider instance {@code default} for grpc-xds (which
 * has no SDS). File-based modes cannot be given to grpc-xds: for it such a cluster is left out, so calls
 * fail instead of going out in plain text.
 */
final class TlsContexts {
    /** The certificate-provider instance a proxyless gRPC client's bootstrap must define. */
    static final String GRPC_CERT_PROVIDER = "default";

    private TlsContexts() {
    }

    /** Whether {@code client} can be given the TLS settings {@code tls} (grpc-xds takes no file paths). */
    static boolean supported(Tls tls, Client client) {
        if (tls == null || client == Client.ENVOY) {
            return true;
        }
        return switch (tls.mode()) {
            case DISABLE, ISTIO_MUTUAL -> true;
            case SIMPLE -> tls.caCertificates() == null && !tls.insecureSkipVerify();
            case MUTUAL -> false;
        };
    }

    /**
     * The transport socket for a cluster, empty for plain text; call only when {@link #supported}.
     * {@code alpn} is what an Envoy client offers for {@code ISTIO_MUTUAL} (grpc-xds always negotiates h2
     * itself).
     */
    static Optional<TransportSocket> upstream(Tls tls, Client client, String sni, List<String> identities,
                                              List<String> alpn) {
        if (tls == null || tls.mode() == Tls.Mode.DISABLE) {
            return Optional.empty();
        }
        UpstreamTlsContext.Builder ctx = UpstreamTlsContext.newBuilder();
        CommonTlsContext.Builder common = ctx.getCommonTlsContextBuilder();
        switch (tls.mode()) {
            case ISTIO_MUTUAL -> {
                List<String> sans = tls.subjectAltNames().isEmpty() ? identities : tls.subjectAltNames();
                if (client == Client.ENVOY) {
                    common.addTlsCertificateSdsSecretConfigs(sds(XdsNames.SDS_WORKLOAD_CERT));
                    common.getCombinedValidationContextBuilder()
                            .setValidationContextSdsSecretConfig(sds(XdsNames.SDS_ROOT_CA))
                            .setDefaultValidationContext(typedSans(sans));
                    common.addAllAlpnProtocols(alpn);
                } else {
                    common.setTlsCertificateProviderInstance(provider(XdsNames.SDS_WORKLOAD_CERT));
                    common.getCombinedValidationContextBuilder()
                            .setDefaultValidationContext(untypedSans(sans)
                                    .setCaCertificateProviderInstance(provider(XdsNames.SDS_ROOT_CA)));
                }
                ctx.setSni(sni);
            }
            case SIMPLE, MUTUAL -> {
                if (!supported(tls, client)) {
                    throw new IllegalArgumentException("tls mode " + tls.mode() + " with files or without"
                            + " verification (expected: a client that reads certificate files, not grpc-xds)");
                }
                if (tls.mode() == Tls.Mode.MUTUAL) {
                    common.addTlsCertificates(TlsCertificate.newBuilder()
                            .setCertificateChain(file(tls.clientCertificate()))
                            .setPrivateKey(file(tls.privateKey())));
                }
                if (!tls.insecureSkipVerify()) {
                    CertificateValidationContext.Builder v = client == Client.ENVOY
                            ? typedSans(tls.subjectAltNames()) : untypedSans(tls.subjectAltNames());
                    if (tls.caCertificates() != null) {
                        v.setTrustedCa(file(tls.caCertificates()));
                    } else {
                        v.setSystemRootCerts(CertificateValidationContext.SystemRootCerts.getDefaultInstance());
                    }
                    common.setValidationContext(v);
                }
                ctx.setSni(tls.sni() != null ? tls.sni() : sni);
            }
            case DISABLE -> throw new IllegalStateException("handled above");
        }
        return Optional.of(TransportSocket.newBuilder()
                .setName(XdsNames.TLS_TRANSPORT_SOCKET)
                .setTypedConfig(Protos.any(ctx.build()))
                .build());
    }

    /**
     * The server side of mesh mutual TLS on a sidecar's inbound listener: the workload certificate and the
     * mesh root over SDS (resolved by the sidecar itself, as istio-agent does for Envoy), a client
     * certificate required and chained to the root (any identity of the mesh: who may call is
     * authorization's business), HTTP/2 or HTTP/1.1 by ALPN.
     */
    static TransportSocket downstreamIstioMutual() {
        DownstreamTlsContext.Builder ctx = DownstreamTlsContext.newBuilder()
                .setRequireClientCertificate(BoolValue.of(true));
        ctx.getCommonTlsContextBuilder()
                .addTlsCertificateSdsSecretConfigs(sds(XdsNames.SDS_WORKLOAD_CERT))
                .addAlpnProtocols(XdsNames.ALPN_H2)
                .addAlpnProtocols(XdsNames.ALPN_HTTP11)
                .getCombinedValidationContextBuilder()
                .setDefaultValidationContext(CertificateValidationContext.getDefaultInstance())
                .setValidationContextSdsSecretConfig(sds(XdsNames.SDS_ROOT_CA));
        return TransportSocket.newBuilder()
                .setName(XdsNames.TLS_TRANSPORT_SOCKET)
                .setTypedConfig(Protos.any(ctx.build()))
                .build();
    }

    private static SdsSecretConfig sds(String name) {
        return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(Protos.ADS).build();
    }

    private static CertificateProviderPluginInstance provider(String certificateName) {
        return CertificateProviderPluginInstance.newBuilder()
                .setInstanceName(GRPC_CERT_PROVIDER)
                .setCertificateName(certificateName)
                .build();
    }

    /** SAN matchers for Envoy: SPIFFE IDs as URI SANs, anything else as DNS SANs. */
    private static CertificateValidationContext.Builder typedSans(List<String> sans) {
        CertificateValidationContext.Builder v = CertificateValidationContext.newBuilder();
        for (String san : sans) {
            v.addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder()
                    .setSanType(san.startsWith("spiffe://")
                            ? SubjectAltNameMatcher.SanType.URI : SubjectAltNameMatcher.SanType.DNS)
                    .setMatcher(StringMatcher.newBuilder().setExact(san)));
        }
        return v;
    }

    /** SAN matchers for grpc-xds, which reads the untyped form. */
    @SuppressWarnings("deprecation")
    private static CertificateValidationContext.Builder untypedSans(List<String> sans) {
        CertificateValidationContext.Builder v = CertificateValidationContext.newBuilder();
        for (String san : sans) {
            v.addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(san));
        }
        return v;
    }

    private static DataSource file(String path) {
        return DataSource.newBuilder().setFilename(path).build();
    }
}
