package dev.meshdeck.viz.model;

/** What a node of the topology stands for. */
public enum NodeKind {
    /** A service (a host name the mesh routes to); its versions are {@link #WORKLOAD} nodes inside it. */
    SERVICE,
    /** One deployed version of a service (or a workload that belongs to no service). */
    WORKLOAD,
    /** Something outside the mesh: a ServiceEntry host, an unknown caller, the internet. */
    EXTERNAL,
    /**
     * A collapsed namespace standing in for all its nodes, or the group of external hosts
     * ({@link NamespaceCollapse#EXTERNAL}); only {@link NamespaceCollapse} produces it.
     */
    NAMESPACE
}
