package dev.meshdeck.dataplane.tls;

import dev.meshdeck.dataplane.stats.Stats;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;

/**
 * Envoy's TLS stats under a prefix ({@code cluster.<name>.ssl.} upstream, {@code listener.<ip>_<port>.ssl.}
 * downstream): {@code handshake} (completed handshakes), {@code connection_error} (failed ones),
 * {@code fail_verify_error} (the peer's chain does not lead to the trusted CA), {@code fail_verify_san}
 * (no SAN matches), {@code fail_verify_no_cert} (a required client certificate was not sent).
 */
public final class TlsStats {
    public final Stats.Counter handshake;
    public final Stats.Counter connectionError;
    public final Stats.Counter failVerifyError;
    public final Stats.Counter failVerifySan;
    public final Stats.Counter failVerifyNoCert;

    /** @param prefix ends with {@code ssl.} */
    public TlsStats(Stats stats, String prefix) {
        handshake = stats.counter(prefix + "handshake");
        connectionError = stats.counter(prefix + "connection_error");
        failVerifyError = stats.counter(prefix + "fail_verify_error");
        failVerifySan = stats.counter(prefix + "fail_verify_san");
        failVerifyNoCert = stats.counter(prefix + "fail_verify_no_cert");
    }

    /** Counts a failed handshake, and why when the cause says (an untrusted chain, no client certificate). */
    public String handshakeFailed(Throwable cause) {
        connectionError.inc();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("empty client certificate chain") || m.contains("certificate_required")
                    || m.contains("bad_certificate") && !(t instanceof CertificateException)) {
                failVerifyNoCert.inc();
                return "no client certificate (ssl.fail_verify_no_cert)";
            }
            if (t instanceof CertPathValidatorException || t instanceof CertificateException
                    || m.contains("pkix path") || m.contains("certificate_unknown") || m.contains("unknown_ca")) {
                failVerifyError.inc();
                return "certificate verify failed (ssl.fail_verify_error): " + rootMessage(cause);
            }
        }
        return "TLS handshake failed (ssl.connection_error): " + rootMessage(cause);
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return String.valueOf(r.getMessage());
    }
}
