package dev.meshdeck.dataplane.admin;

import dev.meshdeck.dataplane.config.TlsSettings.SanType;
import dev.meshdeck.dataplane.tls.Sans;
import dev.meshdeck.dataplane.tls.WorkloadCertificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * Writes the admin endpoint's {@code /certs} as Envoy does, the JSON of {@code envoy.admin.v3.Certificates}: the
 * sidecar's workload certificate, which the controller's CA signed and which it serves as the SDS secrets
 * {@code default} (its {@code cert_chain}, the leaf first) and {@code ROOTCA} (its {@code ca_cert}), each certificate
 * with its serial number, subject alternative names (the SPIFFE ID among them), validity and days until it expires.
 * No certificate yet (or a mesh without mutual TLS): {@code "certificates": []}.
 */
public final class CertsFormat {
    /** Envoy's {@code path} for a certificate it holds in memory rather than in a file. */
    static final String INLINE = "<inline>";

    private CertsFormat() {
    }

    /** The JSON; {@code now} for the days until each certificate expires. */
    public static String json(Optional<WorkloadCertificate> workload, Instant now) {
        StringBuilder b = new StringBuilder("{\n \"certificates\": [");
        workload.ifPresent(w -> {
            b.append("\n  {\n   \"ca_cert\": [");
            details(b, w.roots(), now);
            b.append("],\n   \"cert_chain\": [");
            details(b, w.chain(), now);
            b.append("]\n  }\n ");
        });
        return b.append("]\n}\n").toString();
    }

    private static void details(StringBuilder b, List<X509Certificate> certs, Instant now) {
        for (int i = 0; i < certs.size(); i++) {
            X509Certificate c = certs.get(i);
            Instant from = c.getNotBefore().toInstant();
            Instant until = c.getNotAfter().toInstant();
            long days = Math.max(0, Duration.between(now, until).toDays());
            b.append(i == 0 ? "\n" : ",\n").append("    {\n     \"path\": \"").append(INLINE).append("\",\n")
                    .append("     \"serial_number\": \"").append(c.getSerialNumber().toString(16)).append("\",\n")
                    .append("     \"subject_alt_names\": [");
            List<String> sans = new java.util.ArrayList<>();
            for (String uri : Sans.of(c, SanType.URI)) {
                sans.add("{\"uri\": " + Json.string(uri) + "}");
            }
            for (String dns : Sans.of(c, SanType.DNS)) {
                sans.add("{\"dns\": " + Json.string(dns) + "}");
            }
            for (String ip : Sans.of(c, SanType.IP_ADDRESS)) {
                sans.add("{\"ip_address\": " + Json.string(ip) + "}");
            }
            b.append(String.join(", ", sans)).append("],\n")
                    .append("     \"days_until_expiration\": \"").append(days).append("\",\n")
                    .append("     \"valid_from\": \"").append(DateTimeFormatter.ISO_INSTANT.format(from)).append("\",\n")
                    .append("     \"expiration_time\": \"").append(DateTimeFormatter.ISO_INSTANT.format(until))
                    .append("\"\n    }");
        }
        b.append(certs.isEmpty() ? "" : "\n   ");
    }
}
