package dev.meshdeck.dataplane.tls;

import dev.meshdeck.dataplane.config.TlsSettings.SanMatcher;
import dev.meshdeck.dataplane.config.TlsSettings.SanType;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** A certificate's subject alternative names, and the check of Envoy's {@code match_typed_subject_alt_names}. */
public final class Sans {
    private Sans() {
    }

    /** The URI SANs (a workload's SPIFFE ID among them). */
    public static List<String> uris(X509Certificate cert) {
        return of(cert, SanType.URI);
    }

    public static List<String> of(X509Certificate cert, SanType type) {
        int wanted = switch (type) {
            case EMAIL -> 1;
            case DNS -> 2;
            case URI -> 6;
            case IP_ADDRESS -> 7;
        };
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) {
                    if (n.size() >= 2 && n.get(0) instanceof Integer t && t == wanted && n.get(1) instanceof String s) {
                        out.add(s);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return out;
    }

    /**
     * Empty when {@code cert} carries a SAN that one of {@code matchers} accepts (or there are no matchers);
     * else why not, naming what it has and what was expected.
     */
    public static Optional<String> mismatch(X509Certificate cert, List<SanMatcher> matchers) {
        if (matchers.isEmpty()) {
            return Optional.empty();
        }
        List<String> seen = new ArrayList<>();
        for (SanMatcher m : matchers) {
            for (String san : of(cert, m.type())) {
                if (m.matcher().matches(san)) {
                    return Optional.empty();
                }
            }
        }
        for (SanType t : SanType.values()) {
            of(cert, t).forEach(s -> seen.add(t + ":" + s));
        }
        List<String> expected = matchers.stream()
                .map(m -> m.type() + ":" + m.matcher().kind().name().toLowerCase(java.util.Locale.ROOT) + " " + m.matcher().value())
                .toList();
        return Optional.of("peer certificate SANs " + seen + " match none of " + expected);
    }
}
