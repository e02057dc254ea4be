package dev.meshdeck.viz.model;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A node of the topology: a service, one of its versions (a workload), an external host, or a collapsed
 * namespace.
 *
 * <p>Grouping: every node but an external one lives in a {@code namespace}; a workload names its parent
 * service node in {@code service} (the id of a {@link NodeKind#SERVICE} node of the same graph, or
 * {@code null} for a workload that belongs to no service) and its {@code version}. Services, externals and
 * namespaces have neither. {@code label} defaults to the id; {@code health} and {@code mtls} to UNKNOWN.
 */
public record GraphNode(String id, NodeKind kind, String label, String namespace, String service, String version,
                        Health health, MtlsState mtls, Set<Badge> badges) {

    public GraphNode {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("node id: '" + id + "' (expected: a non-blank string)");
        }
        Objects.requireNonNull(kind, () -> "node '" + id + "': kind (expected: one of SERVICE, WORKLOAD, EXTERNAL, NAMESPACE)");
        label = label == null || label.isBlank() ? id : label;
        namespace = blankToNull(namespace);
        service = blankToNull(service);
        version = blankToNull(version);
        if (namespace == null && kind != NodeKind.EXTERNAL) {
            throw new IllegalArgumentException("node '" + id + "': namespace missing (expected: a namespace for a "
                    + kind + " node; only EXTERNAL nodes may have none)");
        }
        if (kind != NodeKind.WORKLOAD && (service != null || version != null)) {
            throw new IllegalArgumentException("node '" + id + "': service/version set on a " + kind
                    + " node (expected: only WORKLOAD nodes belong to a service)");
        }
        if (service != null && service.equals(id)) {
            throw new IllegalArgumentException("node '" + id + "': belongs to itself (expected: the id of a SERVICE node)");
        }
        health = health == null ? Health.UNKNOWN : health;
        mtls = mtls == null ? MtlsState.UNKNOWN : mtls;
        badges = badges == null || badges.isEmpty()
                ? Collections.unmodifiableSet(EnumSet.noneOf(Badge.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(badges));
    }

    /** A service node in {@code namespace}, labelled with its id. */
    public static GraphNode service(String id, String namespace) {
        return new GraphNode(id, NodeKind.SERVICE, null, namespace, null, null, null, null, null);
    }

    /** Version {@code version} of the service node {@code serviceId}. */
    public static GraphNode workload(String id, String namespace, String serviceId, String version) {
        return new GraphNode(id, NodeKind.WORKLOAD, null, namespace, serviceId, version, null, null, null);
    }

    /** A host outside the mesh. */
    public static GraphNode external(String id) {
        return new GraphNode(id, NodeKind.EXTERNAL, null, null, null, null, null, null, null);
    }

    public GraphNode withLabel(String newLabel) {
        return new GraphNode(id, kind, newLabel, namespace, service, version, health, mtls, badges);
    }

    public GraphNode withHealth(Health newHealth) {
        return new GraphNode(id, kind, label, namespace, service, version, newHealth, mtls, badges);
    }

    public GraphNode withMtls(MtlsState newMtls) {
        return new GraphNode(id, kind, label, namespace, service, version, health, newMtls, badges);
    }

    public GraphNode withBadges(Collection<Badge> newBadges) {
        return new GraphNode(id, kind, label, namespace, service, version, health, mtls,
                newBadges == null || newBadges.isEmpty() ? null : EnumSet.copyOf(newBadges));
    }

    /** Whether {@code other} differs from this node only in label, health, mTLS state or badges. */
    public boolean sameStructureAs(GraphNode other) {
        return id.equals(other.id) && kind == other.kind && Objects.equals(namespace, other.namespace)
                && Objects.equals(service, other.service) && Objects.equals(version, other.version);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
