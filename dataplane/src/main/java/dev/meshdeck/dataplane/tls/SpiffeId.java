package dev.meshdeck.dataplane.tls;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A workload's SPIFFE ID as Istio forms it: {@code spiffe://<trust domain>/ns/<namespace>/sa/<service account>}.
 * It is the one URI SAN of the sidecar's certificate.
 */
public record SpiffeId(String trustDomain, String namespace, String serviceAccount) {
    /** Istio's default trust domain. */
    public static final String DEFAULT_TRUST_DOMAIN = "cluster.local";
    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]+");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

    public SpiffeId {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        if (!TRUST_DOMAIN.matcher(trustDomain).matches()) {
            throw new IllegalArgumentException("trust domain '" + trustDomain
                    + "' (expected: lower-case letters, digits, '.', '_' or '-', as SPIFFE allows)");
        }
        for (String s : new String[] {namespace, serviceAccount}) {
            if (!SEGMENT.matcher(s).matches()) {
                throw new IllegalArgumentException("SPIFFE path segment '" + s
                        + "' (expected: letters, digits, '.', '_' or '-')");
            }
        }
    }

    /** {@code spiffe://cluster.local/ns/default/sa/reviews}. */
    public String uri() {
        return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }

    @Override
    public String toString() {
        return uri();
    }
}
