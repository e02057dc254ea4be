package dev.meshdeck.controller.translate.internal;

import dev.meshdeck.controller.config.DestinationRule;
import dev.meshdeck.controller.config.MeshConfig;
import dev.meshdeck.controller.config.ServiceEntry;
import dev.meshdeck.controller.config.ServiceHosts;
import dev.meshdeck.controller.config.VirtualService;
import dev.meshdeck.controller.config.WorkloadEntry;
import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.registry.RegistryState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The services of the mesh and their endpoints, worked out from the config and the registry: the
 * input of every resource factory. Everything in it is sorted, so that what is built from it is
 * deterministic.
 */
public final class MeshModel {
    private static final int MESH_PORT = 80;

    private final Map<String, MeshService> services;
    private final Set<String> serviceEntryHosts;

    private MeshModel(Map<String, MeshService> services, Set<String> serviceEntryHosts) {
        this.services = services;
        this.serviceEntryHosts = serviceEntryHosts;
    }

    /** Services sorted by host. */
    public Collection<MeshService> services() {
        return services.values();
    }

    /** The service a host names; every host the config or registry mentions has one. */
    public MeshService service(String host) {
        MeshService s = services.get(host);
        if (s == null) {
            throw new IllegalArgumentException("host " + host + " is not a service of this mesh (expected one of "
                    + services.size() + " known hosts)");
        }
        return s;
    }

    /** The host {@code written} means in a resource of {@code namespace}: a ServiceEntry host as written, else its FQDN. */
    public String resolve(String written, String namespace) {
        return resolve(serviceEntryHosts, written, namespace);
    }

    private static String resolve(Set<String> serviceEntryHosts, String written, String namespace) {
        String h = written.toLowerCase(Locale.ROOT);
        return serviceEntryHosts.contains(h) ? h : ServiceHosts.fqdn(h, namespace);
    }

    /** Builds the model; {@code trustDomain} forms the SPIFFE identities of workloads. */
    public static MeshModel build(MeshConfig config, RegistryState registry, String trustDomain) {
        Set<String> seHosts = new TreeSet<>();
        for (ServiceEntry se : config.serviceEntries()) {
            se.hosts().forEach(h -> seHosts.add(h.toLowerCase(Locale.ROOT)));
        }
        Builder b = new Builder(seHosts, trustDomain);
        for (ProxyInfo p : registry.proxies()) {
            if (p.servesTraffic()) {
                b.addSidecar(p);
            }
        }
        for (ServiceEntry se : config.serviceEntries()) {
            b.addServiceEntry(se, config.workloadEntries());
        }
        for (DestinationRule dr : config.destinationRules()) {
            b.service(b.resolve(dr.host(), dr.metadata().namespace())).rule(dr);
        }
        for (VirtualService vs : config.virtualServices()) {
            b.addVirtualService(vs);
        }
        Map<String, MeshService> built = new TreeMap<>();
        b.services.forEach((host, sb) -> built.put(host, sb.build()));
        return new MeshModel(Collections.unmodifiableMap(built), Collections.unmodifiableSet(seHosts));
    }

    private static final class Builder {
        private final Map<String, MeshService.Builder> services = new TreeMap<>();
        private final Set<String> seHosts;
        private final String trustDomain;

        Builder(Set<String> seHosts, String trustDomain) {
            this.seHosts = seHosts;
            this.trustDomain = trustDomain;
        }

        String resolve(String written, String namespace) {
            return MeshModel.resolve(seHosts, written, namespace);
        }

        MeshService.Builder service(String host) {
            return services.computeIfAbsent(host, MeshService.Builder::new);
        }

        void addSidecar(ProxyInfo p) {
            String name = p.service().toLowerCase(Locale.ROOT);
            MeshService.Builder s = service(ServiceHosts.serviceFqdn(name, p.namespace()));
            s.addPort(MESH_PORT);
            s.addSidecarEndpoint(new MeshService.Endpoint(p.address(), p.inboundPort(), p.labels(), 1, ""));
            s.addIdentity(spiffe(p.namespace(), p.serviceAccount()));
        }

        void addServiceEntry(ServiceEntry se, List<WorkloadEntry> workloadEntries) {
            String ns = se.metadata().namespace();
            List<WorkloadEntry.Spec> specs = new ArrayList<>(se.endpoints());
            List<String> identities = new ArrayList<>(se.subjectAltNames());
            for (WorkloadEntry.Spec spec : se.endpoints()) {
                if (spec.serviceAccount() != null && !spec.serviceAccount().isEmpty()) {
                    identities.add(spiffe(ns, spec.serviceAccount()));
                }
            }
            if (!se.workloadSelector().isEmpty()) {
                for (WorkloadEntry we : workloadEntries) {
                    if (we.metadata().namespace().equals(ns) && Labels.matches(we.spec().labels(), se.workloadSelector())) {
                        specs.add(we.spec());
                        String sa = we.spec().serviceAccount();
                        if (sa != null && !sa.isEmpty()) {
                            identities.add(spiffe(ns, sa));
                        }
                    }
                }
            }
            List<ServiceEntry.Port> ports = se.ports().isEmpty()
                    ? List.of(new ServiceEntry.Port(MESH_PORT, "HTTP", "http", null))
                    : se.ports();
            MeshService.Discovery discovery = switch (se.resolution()) {
                case DNS -> MeshService.Discovery.STRICT_DNS;
                case DNS_ROUND_ROBIN -> MeshService.Discovery.LOGICAL_DNS;
                case NONE, STATIC -> MeshService.Discovery.EDS;
            };
            for (String written : se.hosts()) {
                String host = written.toLowerCase(Locale.ROOT);
                MeshService.Builder s = service(host);
                s.discovery(discovery);
                identities.forEach(s::addIdentity);
                for (ServiceEntry.Port port : ports) {
                    s.addPort(port.number());
                    int target = port.targetPort() != null ? port.targetPort() : port.number();
                    if (specs.isEmpty() && discovery != MeshService.Discovery.EDS && !host.startsWith("*")) {
                        s.addPortEndpoint(port.number(), new MeshService.Endpoint(host, target, Map.of(), 1, ""));
                    }
                    for (WorkloadEntry.Spec spec : specs) {
                        Integer named = port.name() == null ? null : spec.ports().get(port.name());
                        s.addPortEndpoint(port.number(), new MeshService.Endpoint(spec.address(),
                                named != null ? named : target, spec.labels(),
                                spec.weight() == null ? 1 : spec.weight(),
                                spec.locality() == null ? "" : spec.locality()));
                    }
                }
            }
        }

        void addVirtualService(VirtualService vs) {
            String ns = vs.metadata().namespace();
            for (String h : vs.hosts()) {
                service(resolve(h, ns)).virtualService(vs);
            }
            for (VirtualService.HttpRoute route : vs.http()) {
                for (VirtualService.RouteDestination rd : route.route()) {
                    reference(rd.destination(), ns);
                }
                for (VirtualService.Mirror m : route.mirrors()) {
                    reference(m.destination(), ns);
                }
            }
        }

        private void reference(VirtualService.Destination d, String namespace) {
            MeshService.Builder s = service(resolve(d.host(), namespace));
            if (d.port() != null) {
                s.addReferencedPort(d.port());
            }
        }

        private String spiffe(String namespace, String serviceAccount) {
            return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
        }
    }

    /** Label selection: every label of {@code selector} is on {@code labels} with the same value. */
    static final class Labels {
        private Labels() {
        }

        static boolean matches(Map<String, String> labels, Map<String, String> selector) {
            for (Map.Entry<String, String> e : selector.entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
    }
}
