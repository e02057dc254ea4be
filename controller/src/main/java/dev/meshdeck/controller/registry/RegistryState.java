package dev.meshdeck.controller.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The proxies the controller currently counts as members of the mesh (connected, or gone for less than
 * the grace period), sorted by node id so that translation output does not depend on arrival order.
 */
public record RegistryState(List<ProxyInfo> proxies) {
    public static final RegistryState EMPTY = new RegistryState(List.of());

    public RegistryState {
        List<ProxyInfo> sorted = new ArrayList<>(proxies);
        sorted.sort(Comparator.comparing(ProxyInfo::nodeId));
        proxies = List.copyOf(sorted);
    }
}
