package dev.meshdeck.controller.translate.internal;

import com.google.protobuf.Message;
import dev.meshdeck.controller.registry.ProxyInfo;
import dev.meshdeck.controller.registry.ProxyType;
import dev.meshdeck.controller.translate.InboundTls;
import dev.meshdeck.controller.translate.ProxyResources;
import dev.meshdeck.controller.translate.XdsNames;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The xDS resources of a whole mesh. What all proxies of a kind share is built and hashed once: the
 * clusters (per client kind), the endpoints, the {@code outbound} route config and the gRPC API
 * listeners (per client namespace, since a short host name means a service of the client's own
 * namespace). Per proxy only the sidecar listeners and the inbound route config and cluster are built.
 * Shared parts for a client kind or namespace are built on first use; they are deterministic, so when
 * they are built does not change what they are.
 */
public final class Translation {
    private static final Shared<Secret> NO_SECRETS = new Shared<>(HashedResources.of(List.<Secret>of()));

    private final MeshModel model;
    private final InboundTls inboundTls;
    private final List<RouteFactory.ServiceRoutes> serviceRoutes;
    private final Shared<ClusterLoadAssignment> endpoints;
    private final Map<Client, Shared<Cluster>> clusters = new ConcurrentHashMap<>();
    private final Map<String, Shared<RouteConfiguration>> outboundRoutes = new ConcurrentHashMap<>();
    private final Map<String, Shared<Listener>> apiListeners = new ConcurrentHashMap<>();

    public Translation(MeshModel model, InboundTls inboundTls) {
        this.model = model;
        this.inboundTls = inboundTls;
        RouteFactory routes = new RouteFactory(model);
        List<RouteFactory.ServiceRoutes> sr = new ArrayList<>();
        List<ClusterLoadAssignment> cla = new ArrayList<>();
        for (MeshService s : model.services()) {
            sr.add(new RouteFactory.ServiceRoutes(s, routes.routes(s)));
            cla.addAll(assignments(s));
        }
        this.serviceRoutes = List.copyOf(sr);
        this.endpoints = new Shared<>(HashedResources.of(cla));
        clusters(Client.ENVOY);
    }

    public ProxyResources resourcesFor(ProxyInfo proxy) {
        if (proxy.type() == ProxyType.PROXYLESS_GRPC) {
            return new ProxyResources(apiListeners(proxy.namespace()).hashed.resources(),
                    outboundRoutes(proxy.namespace()).hashed.resources(),
                    clusters(Client.GRPC).hashed.resources(), endpoints.hashed.resources());
        }
        SidecarParts own = SidecarParts.of(proxy, inboundTls);
        return new ProxyResources(own.listeners(),
                withExtra(outboundRoutes(proxy.namespace()).hashed.resources(), own.inboundRoute()),
                withExtra(clusters(Client.ENVOY).hashed.resources(), own.inboundCluster()),
                endpoints.hashed.resources());
    }

    public Snapshot snapshotFor(ProxyInfo proxy) {
        if (proxy.type() == ProxyType.PROXYLESS_GRPC) {
            return new MeshSnapshot(clusters(Client.GRPC).snapshot, endpoints.snapshot,
                    apiListeners(proxy.namespace()).snapshot, outboundRoutes(proxy.namespace()).snapshot,
                    NO_SECRETS.snapshot);
        }
        SidecarParts own = SidecarParts.of(proxy, inboundTls);
        return new MeshSnapshot(clusters(Client.ENVOY).with(own.inboundCluster()), endpoints.snapshot,
                new Shared<>(HashedResources.of(own.listeners())).snapshot,
                outboundRoutes(proxy.namespace()).with(own.inboundRoute()), NO_SECRETS.snapshot);
    }

    private Shared<Cluster> clusters(Client client) {
        return clusters.computeIfAbsent(client, c -> {
            ClusterFactory factory = new ClusterFactory(c);
            List<Cluster> all = new ArrayList<>();
            for (MeshService s : model.services()) {
                all.addAll(factory.outbound(s));
            }
            return new Shared<>(HashedResources.of(all));
        });
    }

    private Shared<RouteConfiguration> outboundRoutes(String namespace) {
        return outboundRoutes.computeIfAbsent(namespace,
                ns -> new Shared<>(HashedResources.of(List.of(RouteFactory.outbound(serviceRoutes, ns)))));
    }

    /** An API listener per name a gRPC client may dial a service by, with and without each port. */
    private Shared<Listener> apiListeners(String namespace) {
        return apiListeners.computeIfAbsent(namespace, ns -> {
            Set<String> names = new LinkedHashSet<>();
            for (MeshService s : model.services()) {
                for (String name : s.names(ns)) {
                    names.add(name);
                    for (int port : s.ports()) {
                        names.add(name + ":" + port);
                    }
                }
            }
            return new Shared<>(HashedResources.of(names.stream().map(ListenerFactory::api).toList()));
        });
    }

    /** The EDS resources of a service: one per port and subset, unless its names are resolved by DNS. */
    private static List<ClusterLoadAssignment> assignments(MeshService s) {
        if (s.discovery() != MeshService.Discovery.EDS) {
            return List.of();
        }
        List<ClusterLoadAssignment> out = new ArrayList<>();
        for (int port : s.ports()) {
            out.add(EndpointFactory.assignment(XdsNames.outboundCluster(port, null, s.host()),
                    s.endpoints(port, Map.of())));
            if (s.rule() != null) {
                for (var subset : s.rule().subsets()) {
                    out.add(EndpointFactory.assignment(
                            XdsNames.outboundCluster(port, subset.name(), s.host()),
                            s.endpoints(port, subset.labels())));
                }
            }
        }
        return out;
    }

    private static <T extends Message> List<T> withExtra(List<T> sorted, T extra) {
        if (extra == null) {
            return sorted;
        }
        List<T> out = new ArrayList<>(sorted.size() + 1);
        String name = Resources.getResourceName(extra);
        int at = 0;
        while (at < sorted.size() && Resources.getResourceName(sorted.get(at)).compareTo(name) < 0) {
            at++;
        }
        out.addAll(sorted.subList(0, at));
        out.add(extra);
        out.addAll(sorted.subList(at, sorted.size()));
        return out;
    }

    /** A sidecar's own resources: listeners, and the inbound route config and cluster when it has an app. */
    private record SidecarParts(List<Listener> listeners, RouteConfiguration inboundRoute, Cluster inboundCluster) {
        static SidecarParts of(ProxyInfo p, InboundTls inboundTls) {
            List<Listener> listeners = new ArrayList<>(2);
            RouteConfiguration route = null;
            Cluster cluster = null;
            if (p.inboundPort() > 0 && p.appPort() > 0) {
                listeners.add(ListenerFactory.inbound(p.address(), p.inboundPort(), p.appPort(), inboundTls));
                route = RouteFactory.inbound(p.appPort());
                cluster = ClusterFactory.inbound(p.appPort());
            }
            listeners.add(ListenerFactory.outbound(p.outboundPort()));
            return new SidecarParts(List.copyOf(listeners), route, cluster);
        }
    }

    /** Resources of one type shared by many proxies, hashed and wrapped for the cache once. */
    private static final class Shared<T extends Message> {
        final HashedResources<T> hashed;
        final SnapshotResources<T> snapshot;

        Shared(HashedResources<T> hashed) {
            this.hashed = hashed;
            List<VersionedResource<T>> v = new ArrayList<>(hashed.resources().size());
            for (int i = 0; i < hashed.resources().size(); i++) {
                v.add(VersionedResource.create(hashed.resources().get(i), hashed.hashes().get(i)));
            }
            String version = hashed.version();
            this.snapshot = SnapshotResources.create(v, names -> version);
        }

        /** These resources and a proxy's own one, under a version combining both. */
        SnapshotResources<T> with(T extra) {
            if (extra == null) {
                return snapshot;
            }
            String extraHash = HashedResources.hash(extra);
            return new OverlayResources<>(snapshot, Resources.getResourceName(extra),
                    VersionedResource.create(extra, extraHash), HashedResources.combine(hashed.version(), extraHash));
        }
    }
}
