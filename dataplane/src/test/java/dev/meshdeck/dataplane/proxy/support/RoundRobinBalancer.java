package dev.meshdeck.dataplane.proxy.support;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.lb.LoadBalancer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST STAND-IN for the real {@code lb} package's load balancers until they merge: round robin over the
 * cluster's endpoints, skipping excluded ones while others are left.
 */
public final class RoundRobinBalancer implements LoadBalancer {
    private final List<Endpoint> endpoints;
    private final AtomicInteger next = new AtomicInteger();

    public RoundRobinBalancer(ClusterConfig cluster) {
        this.endpoints = cluster.endpoints();
    }

    @Override
    public Optional<Endpoint> pick(OptionalLong hash, Set<Endpoint> exclude) {
        if (endpoints.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < endpoints.size(); i++) {
            Endpoint e = endpoints.get(Math.floorMod(next.getAndIncrement(), endpoints.size()));
            if (!exclude.contains(e)) {
                return Optional.of(e);
            }
        }
        return Optional.of(endpoints.get(Math.floorMod(next.getAndIncrement(), endpoints.size())));
    }

    @Override
    public void started(Endpoint endpoint) {
    }

    @Override
    public void finished(Endpoint endpoint, int status) {
    }
}
