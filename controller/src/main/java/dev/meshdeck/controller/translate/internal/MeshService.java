package dev.meshdeck.controller.translate.internal;

import dev.meshdeck.controller.config.DestinationRule;
import dev.meshdeck.controller.config.ServiceHosts;
import dev.meshdeck.controller.config.VirtualService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One service of the mesh: a host, its ports (the default first), how its endpoints are found, the
 * endpoints, the identities its workloads run as, and the VirtualService and DestinationRule that apply.
 */
public final class MeshService {
    /** How a proxy learns the service's endpoints. */
    public enum Discovery { EDS, STRICT_DNS, LOGICAL_DNS }

    /** One place a request for the service can go. Labels are sorted. */
    public record Endpoint(String address, int port, Map<String, String> labels, int weight, String locality) {
        static final Comparator<Endpoint> ORDER = Comparator.comparing(Endpoint::locality)
                .thenComparing(Endpoint::address)
                .thenComparingInt(Endpoint::port)
                .thenComparingInt(Endpoint::weight)
                .thenComparing(e -> e.labels().toString());

        public Endpoint {
            Objects.requireNonNull(address, "address");
            labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        }
    }

    private final String host;
    private final String shortName;
    private final String namespace;
    private final List<Integer> ports;
    private final Discovery discovery;
    private final List<Endpoint> sidecarEndpoints;
    private final Map<Integer, List<Endpoint>> portEndpoints;
    private final List<String> identities;
    private final VirtualService virtualService;
    private final DestinationRule rule;

    private MeshService(Builder b) {
        this.host = b.host;
        String[] parts = kubernetesName(b.host);
        this.shortName = parts == null ? null : parts[0];
        this.namespace = parts == null ? null : parts[1];
        Set<Integer> p = new LinkedHashSet<>(b.ports);
        if (p.isEmpty()) {
            p.add(80);
        }
        p.addAll(b.referencedPorts);
        this.ports = List.copyOf(p);
        // A DNS service with nothing to resolve (a wildcard host without endpoints) falls back to EDS.
        this.discovery = b.portEndpoints.isEmpty() ? Discovery.EDS : b.discovery;
        this.sidecarEndpoints = sortedCopy(b.sidecarEndpoints);
        Map<Integer, List<Endpoint>> byPort = new TreeMap<>();
        b.portEndpoints.forEach((port, eps) -> byPort.put(port, sortedCopy(eps)));
        this.portEndpoints = java.util.Collections.unmodifiableMap(byPort);
        this.identities = List.copyOf(b.identities);
        this.virtualService = b.virtualService;
        this.rule = b.rule;
    }

    public String host() {
        return host;
    }

    /** Ports, the default (used when a route names none) first. */
    public List<Integer> ports() {
        return ports;
    }

    public int defaultPort() {
        return ports.get(0);
    }

    public Discovery discovery() {
        return discovery;
    }

    /** SPIFFE identities of the workloads behind the service (or a ServiceEntry's subjectAltNames), sorted. */
    public List<String> identities() {
        return identities;
    }

    /** The VirtualService routing requests for this host, or {@code null}. */
    public VirtualService virtualService() {
        return virtualService;
    }

    /** The DestinationRule for this host, or {@code null}. */
    public DestinationRule rule() {
        return rule;
    }

    /** The subset of the rule named {@code name}, or {@code null}. */
    public DestinationRule.Subset subset(String name) {
        if (rule == null || name == null) {
            return null;
        }
        return rule.subsets().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /** The policy for traffic to {@code subset} ({@code null}: the whole service): the rule's, overridden by the subset's. */
    public DestinationRule.TrafficPolicy policy(String subset) {
        if (rule == null) {
            return DestinationRule.TrafficPolicy.DEFAULT;
        }
        DestinationRule.Subset s = subset(subset);
        return s == null ? rule.trafficPolicy() : rule.trafficPolicy().overriddenBy(s.trafficPolicy());
    }

    /** Endpoints serving {@code port} whose labels include {@code selector}, sorted. */
    public List<Endpoint> endpoints(int port, Map<String, String> selector) {
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint e : sidecarEndpoints) {
            if (MeshModel.Labels.matches(e.labels(), selector)) {
                out.add(e);
            }
        }
        for (Endpoint e : portEndpoints.getOrDefault(port, List.of())) {
            if (MeshModel.Labels.matches(e.labels(), selector)) {
                out.add(e);
            }
        }
        if (!sidecarEndpoints.isEmpty() && portEndpoints.containsKey(port)) {
            out.sort(Endpoint.ORDER);
        }
        return out;
    }

    /**
     * The names a client in {@code clientNamespace} may use for this service: for a Kubernetes-style host
     * {@code reviews}, {@code reviews.default}, {@code reviews.default.svc} and the FQDN (the short name only
     * from the service's own namespace); for any other host, the host as written.
     */
    public List<String> names(String clientNamespace) {
        if (shortName == null) {
            return List.of(host);
        }
        List<String> aliases = ServiceHosts.aliases(shortName, namespace);
        return namespace.equals(clientNamespace) ? aliases : aliases.subList(1, aliases.size());
    }

    /** {@code [reviews, default]} for {@code reviews.default.svc.cluster.local}, else {@code null}. */
    private static String[] kubernetesName(String host) {
        String suffix = "." + ServiceHosts.CLUSTER_DOMAIN;
        if (!host.endsWith(suffix)) {
            return null;
        }
        String[] parts = host.substring(0, host.length() - suffix.length()).split("\\.");
        return parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty() ? parts : null;
    }

    private static List<Endpoint> sortedCopy(List<Endpoint> eps) {
        List<Endpoint> copy = new ArrayList<>(eps);
        copy.sort(Endpoint.ORDER);
        return List.copyOf(copy);
    }

    static final class Builder {
        private final String host;
        private final Set<Integer> ports = new LinkedHashSet<>();
        private final Set<Integer> referencedPorts = new TreeSet<>();
        private Discovery discovery = Discovery.EDS;
        private final List<Endpoint> sidecarEndpoints = new ArrayList<>();
        private final Map<Integer, List<Endpoint>> portEndpoints = new TreeMap<>();
        private final Set<String> identities = new TreeSet<>();
        private VirtualService virtualService;
        private DestinationRule rule;

        Builder(String host) {
            this.host = host;
        }

        void addPort(int port) {
            ports.add(port);
        }

        void addReferencedPort(int port) {
            referencedPorts.add(port);
        }

        void discovery(Discovery d) {
            this.discovery = d;
        }

        void addSidecarEndpoint(Endpoint e) {
            sidecarEndpoints.add(e);
        }

        void addPortEndpoint(int port, Endpoint e) {
            portEndpoints.computeIfAbsent(port, k -> new ArrayList<>()).add(e);
        }

        void addIdentity(String id) {
            identities.add(id);
        }

        /** The first VirtualService (in config order) for a host wins, as in Istio. */
        void virtualService(VirtualService vs) {
            if (virtualService == null) {
                virtualService = vs;
            }
        }

        /** The first DestinationRule (in config order) for a host wins. */
        void rule(DestinationRule dr) {
            if (rule == null) {
                rule = dr;
            }
        }

        MeshService build() {
            return new MeshService(this);
        }
    }
}
