package dev.meshdeck.controller.config;

import java.util.List;

/**
 * How hosts written in config name services (see {@code docs/decisions/0001-xds-resource-naming.md}):
 * a short name means the service of that name in the writing resource's namespace.
 */
public final class ServiceHosts {
    public static final String CLUSTER_DOMAIN = "svc.cluster.local";

    private ServiceHosts() {
    }

    /**
     * The fully qualified form of {@code host} written in {@code namespace}: {@code reviews} →
     * {@code reviews.default.svc.cluster.local}; {@code reviews.prod} → {@code reviews.prod.svc.cluster.local};
     * a host with more dots that is not under {@code svc.cluster.local} (an external name) is kept as is.
     */
    public static String fqdn(String host, String namespace) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        if (h.endsWith("." + CLUSTER_DOMAIN) || h.equals("*")) {
            return h;
        }
        if (h.endsWith(".svc")) {
            return h + ".cluster.local";
        }
        int dots = (int) h.chars().filter(c -> c == '.').count();
        return switch (dots) {
            case 0 -> h + "." + namespace + "." + CLUSTER_DOMAIN;
            case 1 -> h + "." + CLUSTER_DOMAIN;
            default -> h;
        };
    }

    /** The fully qualified host of the mesh service {@code name} in {@code namespace}. */
    public static String serviceFqdn(String name, String namespace) {
        return name + "." + namespace + "." + CLUSTER_DOMAIN;
    }

    /** Every way a client may write a mesh service's host: {@code reviews}, {@code reviews.default}, ... */
    public static List<String> aliases(String name, String namespace) {
        return List.of(name, name + "." + namespace, name + "." + namespace + ".svc", serviceFqdn(name, namespace));
    }
}
