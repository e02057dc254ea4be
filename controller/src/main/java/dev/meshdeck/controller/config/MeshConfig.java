package dev.meshdeck.controller.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A whole mesh config: every resource, kept sorted by {@link ResourceKey} so that two configs with the
 * same resources are equal and translate to the same output whatever order the documents came in.
 */
public record MeshConfig(List<MeshResource> resources) {
    public static final MeshConfig EMPTY = new MeshConfig(List.of());

    public MeshConfig {
        List<MeshResource> sorted = new ArrayList<>(resources);
        sorted.sort(Comparator.comparing(MeshResource::key));
        resources = List.copyOf(sorted);
    }

    public List<VirtualService> virtualServices() {
        return ofType(VirtualService.class);
    }

    public List<DestinationRule> destinationRules() {
        return ofType(DestinationRule.class);
    }

    public List<ServiceEntry> serviceEntries() {
        return ofType(ServiceEntry.class);
    }

    public List<WorkloadEntry> workloadEntries() {
        return ofType(WorkloadEntry.class);
    }

    public List<MeshResource> ofKind(Kind kind) {
        return resources.stream().filter(r -> r.kind() == kind).toList();
    }

    public Optional<MeshResource> find(ResourceKey key) {
        return resources.stream().filter(r -> r.key().equals(key)).findFirst();
    }

    /** Resources by key; the order is the key order. */
    public Map<ResourceKey, MeshResource> byKey() {
        Map<ResourceKey, MeshResource> m = new TreeMap<>();
        resources.forEach(r -> m.put(r.key(), r));
        return m;
    }

    private <T extends MeshResource> List<T> ofType(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
