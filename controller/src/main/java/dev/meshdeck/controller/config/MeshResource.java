package dev.meshdeck.controller.config;

/** One document of a mesh config. */
public sealed interface MeshResource permits VirtualService, DestinationRule, ServiceEntry, WorkloadEntry {
    Kind kind();

    Metadata metadata();

    /** Where the resource was read from; {@link Source#UNKNOWN} when built in code. */
    Source source();

    default ResourceKey key() {
        return new ResourceKey(kind(), metadata().namespace(), metadata().name());
    }
}
