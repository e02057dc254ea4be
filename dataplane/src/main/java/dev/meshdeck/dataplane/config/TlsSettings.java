package dev.meshdeck.dataplane.config;

import java.util.List;
import java.util.Objects;

/**
 * TLS as Envoy's TLS contexts describe it, in plain records: a cluster's {@link Upstream} context and a
 * listener's TLS filter chain ({@link Listener}). Certificates and trust come either from the sidecar's own
 * CA-issued identity (the SDS secrets {@value #WORKLOAD_SECRET} and {@value #ROOT_SECRET}, resolved locally)
 * or from PEM files (Istio's {@code SIMPLE} / {@code MUTUAL} modes).
 */
public final class TlsSettings {
    /** The SDS name of the workload's certificate and key. */
    public static final String WORKLOAD_SECRET = "default";
    /** The SDS name of the mesh's trust bundle. */
    public static final String ROOT_SECRET = "ROOTCA";
    public static final String H2 = "h2";
    public static final String HTTP_1_1 = "http/1.1";

    private TlsSettings() {
    }

    /** PEM text from a file ({@code path}) or given inline (exactly one of them). */
    public record Pem(String path, String inline) {
        public Pem {
            if ((path == null) == (inline == null)) {
                throw new IllegalArgumentException("PEM source: path " + path + ", inline " + (inline != null)
                        + " (expected: exactly one of a file name or inline text)");
            }
        }

        public static Pem file(String path) {
            return new Pem(path, null);
        }

        public static Pem inline(String text) {
            return new Pem(null, text);
        }

        /** {@code file /etc/certs/ca.pem} or {@code inline PEM}, for messages. */
        public String describe() {
            return path != null ? "file " + path : "inline PEM";
        }
    }

    /** Where a TLS context's own certificate and key come from. */
    public sealed interface Certificate permits WorkloadSecret, PemCertificate {
    }

    /** The sidecar's CA-issued workload certificate (SDS secret {@value #WORKLOAD_SECRET}). */
    public record WorkloadSecret() implements Certificate {
    }

    /** A certificate chain and its PKCS#8 private key from PEM. */
    public record PemCertificate(Pem chain, Pem key) implements Certificate {
        public PemCertificate {
            Objects.requireNonNull(chain, "chain");
            Objects.requireNonNull(key, "key");
        }
    }

    /** What the peer's certificate chain must lead to. */
    public sealed interface Trust permits WorkloadRoots, PemRoots, SystemRoots {
    }

    /** The mesh's trust bundle (SDS secret {@value #ROOT_SECRET}): the root of the sidecar's own chain. */
    public record WorkloadRoots() implements Trust {
    }

    /** CA certificates from PEM ({@code trusted_ca}). */
    public record PemRoots(Pem bundle) implements Trust {
        public PemRoots {
            Objects.requireNonNull(bundle, "bundle");
        }
    }

    /** The JDK's default trust store ({@code system_root_certs}). */
    public record SystemRoots() implements Trust {
    }

    public enum SanType { DNS, URI, EMAIL, IP_ADDRESS }

    /** One of the names the peer's certificate must carry ({@code match_typed_subject_alt_names}). */
    public record SanMatcher(SanType type, StringMatcher matcher) {
        public SanMatcher {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(matcher, "matcher");
        }
    }

    /**
     * How the peer's certificate is checked.
     *
     * @param trust           what its chain must lead to; null: the chain is not verified (Envoy without
     *                        {@code trusted_ca})
     * @param subjectAltNames the peer must carry a SAN matching one of these; empty: any
     */
    public record Validation(Trust trust, List<SanMatcher> subjectAltNames) {
        public Validation {
            subjectAltNames = List.copyOf(subjectAltNames);
        }
    }

    /**
     * A cluster's TLS ({@code UpstreamTlsContext}).
     *
     * @param certificate the client certificate; null: none is offered
     * @param validation  how the server's certificate is checked; null: it is not
     * @param sni         the server name to send; empty: none
     * @param alpn        the protocols to offer; empty: the protocol the request needs
     */
    public record Upstream(Certificate certificate, Validation validation, String sni, List<String> alpn) {
        public Upstream {
            sni = sni == null ? "" : sni;
            alpn = List.copyOf(alpn);
        }

        /** Whether it needs the sidecar's CA-issued identity. */
        public boolean usesWorkloadIdentity() {
            return certificate instanceof WorkloadSecret
                    || validation != null && validation.trust() instanceof WorkloadRoots;
        }
    }

    /**
     * A listener's TLS filter chain ({@code DownstreamTlsContext}).
     *
     * @param certificate              the listener's certificate
     * @param validation               how clients' certificates are checked; null: they are not asked for
     * @param requireClientCertificate whether a client without a certificate is refused
     * @param alpn                     the protocols to accept, in order of preference
     * @param plaintextAllowed         whether a plain-text chain sits beside the TLS one (Istio's PERMISSIVE)
     */
    public record Listener(Certificate certificate, Validation validation, boolean requireClientCertificate,
                           List<String> alpn, boolean plaintextAllowed) {
        public Listener {
            Objects.requireNonNull(certificate, "certificate");
            alpn = List.copyOf(alpn);
            if (requireClientCertificate && (validation == null || validation.trust() == null)) {
                throw new IllegalArgumentException("require_client_certificate without a trusted CA "
                        + "(expected: a validation context that names what client certificates must lead to)");
            }
        }

        public boolean usesWorkloadIdentity() {
            return certificate instanceof WorkloadSecret
                    || validation != null && validation.trust() instanceof WorkloadRoots;
        }
    }
}
