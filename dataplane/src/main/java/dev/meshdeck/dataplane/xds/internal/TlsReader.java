package dev.meshdeck.dataplane.xds.internal;

import dev.meshdeck.dataplane.config.TlsSettings;
import dev.meshdeck.dataplane.config.TlsSettings.Certificate;
import dev.meshdeck.dataplane.config.TlsSettings.Pem;
import dev.meshdeck.dataplane.config.TlsSettings.SanMatcher;
import dev.meshdeck.dataplane.config.TlsSettings.SanType;
import dev.meshdeck.dataplane.config.TlsSettings.Trust;
import dev.meshdeck.dataplane.config.TlsSettings.Validation;
import dev.meshdeck.dataplane.tls.WorkloadCertificate;
import dev.meshdeck.dataplane.tls.internal.KeyPairCheck;
import dev.meshdeck.dataplane.tls.internal.PemFiles;
import dev.meshdeck.dataplane.xds.XdsConfigException;
import dev.meshdeck.dataplane.xds.proto.envoy.config.cluster.v3.Cluster;
import dev.meshdeck.dataplane.xds.proto.envoy.config.core.v3.ConfigSource;
import dev.meshdeck.dataplane.xds.proto.envoy.config.core.v3.DataSource;
import dev.meshdeck.dataplane.xds.proto.envoy.config.core.v3.TransportSocket;
import dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.FilterChain;
import dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.FilterChainMatch;
import dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.Listener;
import dev.meshdeck.dataplane.xds.proto.envoy.config.listener.v3.ListenerFilter;
import dev.meshdeck.dataplane.xds.proto.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import dev.meshdeck.dataplane.xds.proto.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import dev.meshdeck.dataplane.xds.proto.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import dev.meshdeck.dataplane.xds.proto.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import dev.meshdeck.dataplane.xds.proto.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import dev.meshdeck.dataplane.xds.proto.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import dev.meshdeck.dataplane.xds.proto.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import dev.meshdeck.dataplane.xds.proto.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import dev.meshdeck.dataplane.xds.proto.google.protobuf.Any;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every TLS-related Envoy proto the sidecar reads, in one place: a cluster's {@code transport_socket}
 * ({@code UpstreamTlsContext}) and a listener's TLS filter chain ({@code tls_inspector},
 * {@code filter_chain_match.transport_protocol}, {@code DownstreamTlsContext}), into
 * {@link TlsSettings} records. SDS secrets are resolved locally, so only {@code default} (the workload's
 * certificate) and {@code ROOTCA} (its trust bundle) may be named; a field the sidecar cannot apply is an
 * {@link XdsConfigException} naming it.
 */
public final class TlsReader {
    public static final String TLS_SOCKET = "envoy.transport_sockets.tls";
    public static final String RAW_BUFFER = "envoy.transport_sockets.raw_buffer";
    public static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";

    private TlsReader() {
    }

    /** A listener's HTTP filter chain (the one whose HTTP connection manager applies) and its TLS, if any. */
    public record ListenerChains(FilterChain http, TlsSettings.Listener tls) {
    }

    /** A cluster's TLS; null for plain text (no transport socket, or raw_buffer). */
    public static TlsSettings.Upstream upstream(Cluster c, String where) {
        if (c.getTransportSocketMatchesCount() > 0) {
            throw new XdsConfigException(where + ".transport_socket_matches: not supported (expected: one transport_socket)");
        }
        if (!c.hasTransportSocket() || plainText(c.getTransportSocket(), where + ".transport_socket")) {
            return null;
        }
        String f = where + ".transport_socket[" + c.getTransportSocket().getName() + "].typed_config";
        UpstreamTlsContext u = ProtoValues.unpack(c.getTransportSocket().getTypedConfig(), TypeNames.UPSTREAM_TLS_CONTEXT,
                UpstreamTlsContext.parser(), f);
        if (u.getAutoHostSni() || u.getAutoSniSanValidation() || u.getAllowRenegotiation() || u.hasEnforceRsaKeyUsage()) {
            throw new XdsConfigException(f + ": auto_host_sni, auto_sni_san_validation, allow_renegotiation and "
                    + "enforce_rsa_key_usage are not supported (expected: unset)");
        }
        Common common = common(u.getCommonTlsContext(), f + ".common_tls_context");
        return new TlsSettings.Upstream(common.certificate(), common.validation(), u.getSni(), common.alpn());
    }

    /**
     * A listener's filter chains: one plain-text chain (as before), one TLS chain (Istio's STRICT), or a TLS
     * chain matching {@code transport_protocol: tls} beside a plain-text one matching {@code raw_buffer}
     * (PERMISSIVE), both with the same filters; the {@code tls_inspector} listener filter tells them apart.
     */
    public static ListenerChains listener(Listener l, String where) {
        boolean inspector = false;
        for (ListenerFilter lf : l.getListenerFiltersList()) {
            boolean isInspector = lf.hasTypedConfig()
                    ? ProtoValues.is(lf.getTypedConfig(), TypeNames.TLS_INSPECTOR) : lf.getName().equals(TLS_INSPECTOR);
            if (!isInspector || lf.hasFilterDisabled()) {
                throw new XdsConfigException(where + ".listener_filters[" + lf.getName() + "]: not supported (expected: "
                        + TLS_INSPECTOR + " only, without filter_disabled)");
            }
            inspector = true;
        }
        int n = l.getFilterChainsCount();
        if (n < 1 || n > 2) {
            throw new XdsConfigException(where + ".filter_chains: " + n + " chains (expected: one, or a TLS and a "
                    + "plain-text chain with the same filters)");
        }
        FilterChain tlsChain = null;
        FilterChain plainChain = null;
        for (int i = 0; i < n; i++) {
            FilterChain chain = l.getFilterChains(i);
            String f = where + ".filter_chains[" + i + "]";
            String protocol = transportProtocol(chain, f);
            boolean tls = chain.hasTransportSocket() && !plainText(chain.getTransportSocket(), f + ".transport_socket");
            if (tls && protocol.equals("raw_buffer") || !tls && protocol.equals("tls")) {
                throw new XdsConfigException(f + ": filter_chain_match.transport_protocol " + protocol + " with "
                        + (tls ? "a TLS" : "no TLS") + " transport_socket (expected: tls with TLS, raw_buffer without)");
            }
            if (protocol.equals("tls") && !inspector) {
                throw new XdsConfigException(f + ".filter_chain_match.transport_protocol: tls needs the " + TLS_INSPECTOR
                        + " listener filter (expected: it in listener_filters)");
            }
            if (tls ? tlsChain != null : plainChain != null) {
                throw new XdsConfigException(where + ".filter_chains: two " + (tls ? "TLS" : "plain-text")
                        + " chains (expected: at most one of each)");
            }
            if (tls) {
                tlsChain = chain;
            } else {
                plainChain = chain;
            }
        }
        if (tlsChain == null) {
            return new ListenerChains(plainChain, null);
        }
        if (plainChain != null && !plainChain.getFiltersList().equals(tlsChain.getFiltersList())) {
            throw new XdsConfigException(where + ".filter_chains: the TLS and plain-text chains have different filters "
                    + "(expected: the same HTTP connection manager in both)");
        }
        int index = l.getFilterChainsList().indexOf(tlsChain);
        String f = where + ".filter_chains[" + index + "].transport_socket[" + tlsChain.getTransportSocket().getName()
                + "].typed_config";
        DownstreamTlsContext d = ProtoValues.unpack(tlsChain.getTransportSocket().getTypedConfig(),
                TypeNames.DOWNSTREAM_TLS_CONTEXT, DownstreamTlsContext.parser(), f);
        if (d.hasRequireSni() && d.getRequireSni().getValue() || d.hasSessionTicketKeys()
                || d.hasSessionTicketKeysSdsSecretConfig() || d.hasFullScanCertsOnSniMismatch()
                || d.getOcspStaplePolicyValue() != 0) {
            throw new XdsConfigException(f + ": require_sni, session_ticket_keys, full_scan_certs_on_sni_mismatch and "
                    + "ocsp_staple_policy are not supported (expected: unset)");
        }
        Common common = common(d.getCommonTlsContext(), f + ".common_tls_context");
        if (common.certificate() == null) {
            throw new XdsConfigException(f + ".common_tls_context: no certificate (expected: tls_certificate_sds_secret_configs "
                    + TlsSettings.WORKLOAD_SECRET + " or tls_certificates)");
        }
        boolean require = d.hasRequireClientCertificate() && d.getRequireClientCertificate().getValue();
        List<String> alpn = common.alpn().isEmpty() ? List.of(TlsSettings.H2, TlsSettings.HTTP_1_1) : common.alpn();
        for (String p : alpn) {
            if (!p.equals(TlsSettings.H2) && !p.equals(TlsSettings.HTTP_1_1)) {
                throw new XdsConfigException(f + ".common_tls_context.alpn_protocols: " + p + " (expected: h2 or http/1.1)");
            }
        }
        try {
            return new ListenerChains(tlsChain, new TlsSettings.Listener(common.certificate(), common.validation(), require,
                    alpn, plainChain != null));
        } catch (IllegalArgumentException e) {
            throw new XdsConfigException(f + ": " + e.getMessage());
        }
    }

    private static String transportProtocol(FilterChain chain, String f) {
        if (!chain.hasFilterChainMatch()) {
            return "";
        }
        FilterChainMatch m = chain.getFilterChainMatch();
        if (!m.toBuilder().clearTransportProtocol().build().equals(FilterChainMatch.getDefaultInstance())) {
            throw new XdsConfigException(f + ".filter_chain_match: only transport_protocol is supported (expected: "
                    + "no destination_port, prefix_ranges, server_names, application_protocols, ...)");
        }
        String p = m.getTransportProtocol();
        if (!p.isEmpty() && !p.equals("tls") && !p.equals("raw_buffer")) {
            throw new XdsConfigException(f + ".filter_chain_match.transport_protocol: " + p + " (expected: tls or raw_buffer)");
        }
        return p;
    }

    /** Whether a transport socket is plain text (raw_buffer); false for TLS; anything else is rejected. */
    private static boolean plainText(TransportSocket ts, String f) {
        Any config = ts.getTypedConfig();
        if (ts.hasTypedConfig() ? ProtoValues.is(config, TypeNames.RAW_BUFFER) : ts.getName().equals(RAW_BUFFER)) {
            return true;
        }
        if (ts.hasTypedConfig() && (ProtoValues.is(config, TypeNames.UPSTREAM_TLS_CONTEXT)
                || ProtoValues.is(config, TypeNames.DOWNSTREAM_TLS_CONTEXT))) {
            return false;
        }
        throw new XdsConfigException(f + "[" + ts.getName() + "]: not supported (expected: " + RAW_BUFFER + ", or "
                + TLS_SOCKET + " with an UpstreamTlsContext / DownstreamTlsContext typed_config)");
    }

    private record Common(Certificate certificate, Validation validation, List<String> alpn) {
    }

    private static Common common(CommonTlsContext c, String f) {
        if (c.hasTlsCertificateProviderInstance() || c.hasCustomTlsCertificateSelector()
                || c.hasTlsCertificateCertificateProvider() || c.hasTlsCertificateCertificateProviderInstance()
                || c.hasCustomHandshaker() || c.hasKeyLog()) {
            throw new XdsConfigException(f + ": certificate providers, custom handshakers and key_log are not supported "
                    + "(expected: tls_certificates or tls_certificate_sds_secret_configs)");
        }
        if (c.hasTlsParams()) {
            tlsParams(c.getTlsParams(), f + ".tls_params");
        }
        if (c.getTlsCertificatesCount() + c.getTlsCertificateSdsSecretConfigsCount() > 1) {
            throw new XdsConfigException(f + ": " + c.getTlsCertificatesCount() + " tls_certificates and "
                    + c.getTlsCertificateSdsSecretConfigsCount() + " tls_certificate_sds_secret_configs (expected: at most one certificate)");
        }
        Certificate certificate = null;
        if (c.getTlsCertificateSdsSecretConfigsCount() == 1) {
            secret(c.getTlsCertificateSdsSecretConfigs(0), TlsSettings.WORKLOAD_SECRET,
                    f + ".tls_certificate_sds_secret_configs[0]");
            certificate = new TlsSettings.WorkloadSecret();
        } else if (c.getTlsCertificatesCount() == 1) {
            certificate = pemCertificate(c.getTlsCertificates(0), f + ".tls_certificates[0]");
        }
        Validation validation = switch (c.getValidationContextTypeCase()) {
            case VALIDATION_CONTEXT -> validation(c.getValidationContext(), null, f + ".validation_context");
            case VALIDATION_CONTEXT_SDS_SECRET_CONFIG -> {
                secret(c.getValidationContextSdsSecretConfig(), TlsSettings.ROOT_SECRET, f + ".validation_context_sds_secret_config");
                yield new Validation(new TlsSettings.WorkloadRoots(), List.of());
            }
            case COMBINED_VALIDATION_CONTEXT -> {
                var combined = c.getCombinedValidationContext();
                String cf = f + ".combined_validation_context";
                if (combined.hasValidationContextCertificateProvider() || combined.hasValidationContextCertificateProviderInstance()) {
                    throw new XdsConfigException(cf + ": certificate providers are not supported (expected: "
                            + "validation_context_sds_secret_config " + TlsSettings.ROOT_SECRET + ")");
                }
                Trust sds = null;
                if (combined.hasValidationContextSdsSecretConfig()) {
                    secret(combined.getValidationContextSdsSecretConfig(), TlsSettings.ROOT_SECRET,
                            cf + ".validation_context_sds_secret_config");
                    sds = new TlsSettings.WorkloadRoots();
                }
                yield validation(combined.getDefaultValidationContext(), sds, cf + ".default_validation_context");
            }
            case VALIDATIONCONTEXTTYPE_NOT_SET -> null;
            default -> throw new XdsConfigException(f + "." + c.getValidationContextTypeCase().name().toLowerCase(java.util.Locale.ROOT)
                    + ": not supported (expected: validation_context, validation_context_sds_secret_config or "
                    + "combined_validation_context)");
        };
        return new Common(certificate, validation, c.getAlpnProtocolsList());
    }

    /** The JDK offers TLS 1.2 and 1.3: bounds that allow those are accepted; cipher and curve lists are not. */
    private static void tlsParams(TlsParameters p, String f) {
        if (p.getCipherSuitesCount() > 0 || p.getEcdhCurvesCount() > 0 || p.getSignatureAlgorithmsCount() > 0
                || p.getCompliancePoliciesCount() > 0) {
            throw new XdsConfigException(f + ": cipher_suites, ecdh_curves, signature_algorithms and compliance_policies "
                    + "are not supported (expected: the JDK's defaults)");
        }
        Set<TlsParameters.TlsProtocol> min = Set.of(TlsParameters.TlsProtocol.TLS_AUTO, TlsParameters.TlsProtocol.TLSv1_0,
                TlsParameters.TlsProtocol.TLSv1_1, TlsParameters.TlsProtocol.TLSv1_2);
        Set<TlsParameters.TlsProtocol> max = Set.of(TlsParameters.TlsProtocol.TLS_AUTO, TlsParameters.TlsProtocol.TLSv1_3);
        if (!min.contains(p.getTlsMinimumProtocolVersion()) || !max.contains(p.getTlsMaximumProtocolVersion())) {
            throw new XdsConfigException(f + ": tls_minimum_protocol_version " + p.getTlsMinimumProtocolVersion()
                    + ", tls_maximum_protocol_version " + p.getTlsMaximumProtocolVersion()
                    + " (expected: a range that includes TLSv1_2 and TLSv1_3, which the sidecar offers)");
        }
    }

    /** An SDS reference: must be one of the two local secrets, in the place that takes it, over ADS. */
    private static void secret(SdsSecretConfig s, String expected, String f) {
        String name = s.getName();
        if (!name.equals(TlsSettings.WORKLOAD_SECRET) && !name.equals(TlsSettings.ROOT_SECRET)) {
            throw new XdsConfigException(f + ": secret " + name + ": only the local secrets " + TlsSettings.WORKLOAD_SECRET
                    + " and " + TlsSettings.ROOT_SECRET + " are supported");
        }
        if (!name.equals(expected)) {
            throw new XdsConfigException(f + ": secret " + name + " (expected: " + expected + " here)");
        }
        if (s.hasSdsConfig() && s.getSdsConfig().getConfigSourceSpecifierCase() != ConfigSource.ConfigSourceSpecifierCase.ADS) {
            throw new XdsConfigException(f + ".sds_config: " + s.getSdsConfig().getConfigSourceSpecifierCase()
                    + " (expected: ads; the sidecar serves " + name + " itself)");
        }
    }

    private static TlsSettings.PemCertificate pemCertificate(TlsCertificate t, String f) {
        if (t.hasPkcs12() || t.hasPrivateKeyProvider() || t.hasPassword() || t.hasOcspStaple()
                || t.getSignedCertificateTimestampCount() > 0) {
            throw new XdsConfigException(f + ": pkcs12, private_key_provider, password, ocsp_staple "
                    + "and signed_certificate_timestamp are not supported (expected: certificate_chain and private_key)");
        }
        if (!t.hasCertificateChain() || !t.hasPrivateKey()) {
            throw new XdsConfigException(f + ": certificate_chain and private_key are both required");
        }
        // watched_directory is accepted and not needed: the sidecar watches the files themselves (TlsContexts).
        TlsSettings.PemCertificate cert = new TlsSettings.PemCertificate(
                pem(t.getCertificateChain(), f + ".certificate_chain"), pem(t.getPrivateKey(), f + ".private_key"));
        try {
            KeyPairCheck.check(PemFiles.read(cert.chain()), PemFiles.read(cert.key()));
        } catch (IllegalArgumentException e) {
            throw new XdsConfigException(f + ": " + e.getMessage() + " (expected: certificate_chain and the "
                    + "private_key of its first certificate)");
        }
        return cert;
    }

    /** A static validation context; {@code sdsTrust} is ROOTCA when the combined context names it. */
    private static Validation validation(CertificateValidationContext v, Trust sdsTrust, String f) {
        // watched_directory is accepted and not needed: the sidecar watches trusted_ca's file itself (TlsContexts).
        if (v.hasCaCertificateProviderInstance() || v.getVerifyCertificateSpkiCount() > 0
                || v.getVerifyCertificateHashCount() > 0 || v.hasRequireSignedCertificateTimestamp() || v.hasCrl()
                || v.getAllowExpiredCertificate() || v.hasCustomValidatorConfig() || v.getOnlyVerifyLeafCertCrl()
                || v.hasMaxVerifyDepth()
                || v.getTrustChainVerification() != CertificateValidationContext.TrustChainVerification.VERIFY_TRUST_CHAIN) {
            throw new XdsConfigException(f + ": only trusted_ca, system_root_certs and match_typed_subject_alt_names / "
                    + "match_subject_alt_names are supported (expected: no SPKI/hash pins, CRLs, custom validators, "
                    + "expired certificates or untrusted chains)");
        }
        Trust trust = sdsTrust;
        if (v.hasTrustedCa() || v.hasSystemRootCerts()) {
            if (trust != null || v.hasTrustedCa() && v.hasSystemRootCerts()) {
                throw new XdsConfigException(f + ": more than one of trusted_ca, system_root_certs and "
                        + TlsSettings.ROOT_SECRET + " (expected: one trust source)");
            }
            trust = v.hasTrustedCa() ? new TlsSettings.PemRoots(trustBundle(v.getTrustedCa(), f + ".trusted_ca"))
                    : new TlsSettings.SystemRoots();
        }
        List<SanMatcher> sans = new ArrayList<>();
        for (int i = 0; i < v.getMatchTypedSubjectAltNamesCount(); i++) {
            SubjectAltNameMatcher m = v.getMatchTypedSubjectAltNames(i);
            String mf = f + ".match_typed_subject_alt_names[" + i + "]";
            SanType type = switch (m.getSanType()) {
                case DNS -> SanType.DNS;
                case URI -> SanType.URI;
                case EMAIL -> SanType.EMAIL;
                case IP_ADDRESS -> SanType.IP_ADDRESS;
                default -> throw new XdsConfigException(mf + ".san_type: " + m.getSanType()
                        + " (expected: DNS, URI, EMAIL or IP_ADDRESS)");
            };
            sans.add(new SanMatcher(type, MatcherReader.string(m.getMatcher(), mf + ".matcher")));
        }
        for (int i = 0; i < v.getMatchSubjectAltNamesCount(); i++) {
            var matcher = MatcherReader.string(v.getMatchSubjectAltNames(i), f + ".match_subject_alt_names[" + i + "]");
            for (SanType t : SanType.values()) {
                sans.add(new SanMatcher(t, matcher));
            }
        }
        return new Validation(trust, sans);
    }

    /** A trust bundle: PEM that holds one or more certificates now. */
    private static Pem trustBundle(DataSource d, String f) {
        Pem pem = pem(d, f);
        String expected = " (expected: one or more PEM CERTIFICATE blocks)";
        String text;
        try {
            text = new String(PemFiles.read(pem), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException unreadable) {
            throw new XdsConfigException(f + ": " + unreadable.getMessage() + expected);
        }
        boolean empty;
        try {
            empty = WorkloadCertificate.parsePem(text).isEmpty();
        } catch (IllegalArgumentException unparseable) {
            throw new XdsConfigException(f + ": " + pem.describe() + ": " + unparseable.getMessage() + expected);
        }
        if (empty) {
            throw new XdsConfigException(f + ": " + pem.describe() + " holds no certificate" + expected);
        }
        return pem;
    }

    /** A data source as PEM: a file (which must be readable now) or inline text. */
    private static Pem pem(DataSource d, String f) {
        return switch (d.getSpecifierCase()) {
            case FILENAME -> {
                if (!Files.isReadable(Path.of(d.getFilename()))) {
                    throw new XdsConfigException(f + ".filename: cannot read " + d.getFilename()
                            + " (expected: a readable PEM file)");
                }
                yield Pem.file(d.getFilename());
            }
            case INLINE_STRING -> Pem.inline(d.getInlineString());
            case INLINE_BYTES -> Pem.inline(d.getInlineBytes().toString(StandardCharsets.US_ASCII));
            default -> throw new XdsConfigException(f + ": " + d.getSpecifierCase()
                    + " (expected: filename, inline_string or inline_bytes)");
        };
    }
}
