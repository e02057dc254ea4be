package dev.meshdeck.dataplane.proxy.support;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.lb.LoadBalancer;
import dev.meshdeck.dataplane.lb.LoadBalancers;
import dev.meshdeck.dataplane.proxy.ProxyOptions;
import dev.meshdeck.dataplane.proxy.SidecarProxy;
import dev.meshdeck.dataplane.route.DefaultRouter;
import dev.meshdeck.dataplane.stats.Stats;
import java.time.Clock;
import java.util.Random;
import java.util.function.Function;

/** Proxies for tests, assembled from the real router and load balancers with seeded randoms. */
public final class Proxies {
    private Proxies() {
    }

    /** The real load balancers, each with its own seeded random and the system clock. */
    public static Function<ClusterConfig, LoadBalancer> balancers() {
        return c -> LoadBalancers.create(c, new Random(7), Clock.systemUTC());
    }

    public static SidecarProxy proxy(ProxyOptions options, Stats stats) {
        return proxy(balancers(), options, stats);
    }

    public static SidecarProxy proxy(Function<ClusterConfig, LoadBalancer> balancers, ProxyOptions options, Stats stats) {
        return new SidecarProxy(new DefaultRouter(new Random(1)), balancers, options, stats, new Random(3));
    }
}
