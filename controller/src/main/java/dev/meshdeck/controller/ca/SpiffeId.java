package dev.meshdeck.controller.ca;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A workload identity as Istio writes it: {@code spiffe://<trustDomain>/ns/<namespace>/sa/<serviceAccount>}.
 *
 * @param trustDomain    the mesh's trust domain, e.g. {@code cluster.local}
 * @param namespace      the workload's namespace
 * @param serviceAccount the workload's service account
 */
public record SpiffeId(String trustDomain, String namespace, String serviceAccount) {
    /** The URI scheme of SPIFFE IDs. */
    public static final String SCHEME = "spiffe://";
    /** The form every identity this CA signs must have, for messages. */
    public static final String FORM = "spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>";

    // SPIFFE: trust domains are lower-case letters, digits, '.', '-' and '_'; path segments add upper case.
    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]+");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

    public SpiffeId {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        requireTrustDomain(trustDomain);
        requireSegment("namespace", namespace);
        requireSegment("service account", serviceAccount);
    }

    /**
     * Parses {@code uri}.
     *
     * @throws IllegalArgumentException naming what is wrong with it and the expected form
     */
    public static SpiffeId parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        if (!uri.startsWith(SCHEME)) {
            throw new IllegalArgumentException("\"" + uri + "\" is not a SPIFFE ID (expected: " + FORM + ")");
        }
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String[] path = slash < 0 ? new String[0] : rest.substring(slash + 1).split("/", -1);
        if (slash <= 0 || path.length != 4 || !path[0].equals("ns") || !path[2].equals("sa")) {
            throw new IllegalArgumentException("\"" + uri + "\" is not an Istio workload identity (expected: "
                    + FORM + ")");
        }
        try {
            return new SpiffeId(rest.substring(0, slash), path[1], path[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + uri + "\": " + e.getMessage());
        }
    }

    /**
     * Checks that {@code trustDomain} can be a SPIFFE trust domain.
     *
     * @throws IllegalArgumentException if it cannot
     */
    public static String requireTrustDomain(String trustDomain) {
        if (!TRUST_DOMAIN.matcher(trustDomain).matches()) {
            throw new IllegalArgumentException("trust domain \"" + trustDomain
                    + "\" (expected: lower-case letters, digits, '.', '-' and '_', such as cluster.local)");
        }
        return trustDomain;
    }

    private static void requireSegment(String what, String value) {
        if (!SEGMENT.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException(what + " \"" + value
                    + "\" (expected: letters, digits, '.', '-' and '_')");
        }
    }

    /** The identity as a URI string. */
    @Override
    public String toString() {
        return SCHEME + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }
}
