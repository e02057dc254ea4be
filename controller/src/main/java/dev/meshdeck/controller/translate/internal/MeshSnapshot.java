package dev.meshdeck.controller.translate.internal;

import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;

/**
 * A snapshot whose per-type resource maps can be shared by many proxies. {@code Snapshot.create(...)}
 * wraps and re-hashes every resource for every proxy; here the resources shared by all sidecars (CDS,
 * EDS, the {@code outbound} route config) are wrapped once per translation, with our content hashes as
 * resource versions, and each proxy's snapshot only points at them.
 */
public final class MeshSnapshot extends Snapshot {
    private final SnapshotResources<Cluster> clusters;
    private final SnapshotResources<ClusterLoadAssignment> endpoints;
    private final SnapshotResources<Listener> listeners;
    private final SnapshotResources<RouteConfiguration> routes;
    private final SnapshotResources<Secret> secrets;

    public MeshSnapshot(SnapshotResources<Cluster> clusters, SnapshotResources<ClusterLoadAssignment> endpoints,
                        SnapshotResources<Listener> listeners, SnapshotResources<RouteConfiguration> routes,
                        SnapshotResources<Secret> secrets) {
        this.clusters = clusters;
        this.endpoints = endpoints;
        this.listeners = listeners;
        this.routes = routes;
        this.secrets = secrets;
    }

    @Override
    public SnapshotResources<Cluster> clusters() {
        return clusters;
    }

    @Override
    public SnapshotResources<ClusterLoadAssignment> endpoints() {
        return endpoints;
    }

    @Override
    public SnapshotResources<Listener> listeners() {
        return listeners;
    }

    @Override
    public SnapshotResources<RouteConfiguration> routes() {
        return routes;
    }

    @Override
    public SnapshotResources<Secret> secrets() {
        return secrets;
    }

    @Override
    public String toString() {
        return "MeshSnapshot{clusters=" + clusters.version() + ", endpoints=" + endpoints.version()
                + ", listeners=" + listeners.version() + ", routes=" + routes.version()
                + ", secrets=" + secrets.version() + "}";
    }
}
