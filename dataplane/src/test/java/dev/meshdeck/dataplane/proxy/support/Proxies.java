package dev.meshdeck.dataplane.proxy.support;

import dev.meshdeck.dataplane.lb.LoadBalancerFactory;
import dev.meshdeck.dataplane.lb.LoadBalancers;
import dev.meshdeck.dataplane.proxy.ProxyOptions;
import dev.meshdeck.dataplane.proxy.SidecarProxy;
import dev.meshdeck.dataplane.route.DefaultRouter;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.tls.SecretStore;
import dev.meshdeck.dataplane.tls.TlsContexts;
import java.time.Clock;
import java.util.Random;

/** Proxies for tests, assembled from the real router and load balancers with seeded randoms. */
public final class Proxies {
    private Proxies() {
    }

    /** The real load balancers, each with its own seeded random, the system clock and the proxy's scheduler. */
    public static LoadBalancerFactory balancers(Stats stats) {
        return balancers(stats, Clock.systemUTC());
    }

    /** The real load balancers on {@code clock}: a test moves it to step slow start or outlier ejections. */
    public static LoadBalancerFactory balancers(Stats stats, Clock clock) {
        return (c, scheduler) -> LoadBalancers.create(c,
                new LoadBalancers.Environment(new Random(7), clock, scheduler, stats));
    }

    /** {@code factory}, counting the balancers it makes into {@code made}. */
    public static LoadBalancerFactory counting(LoadBalancerFactory factory, java.util.concurrent.atomic.AtomicInteger made) {
        return (c, scheduler) -> {
            made.incrementAndGet();
            return factory.create(c, scheduler);
        };
    }

    public static SidecarProxy proxy(ProxyOptions options, Stats stats) {
        return proxy(balancers(stats), options, stats);
    }

    /** A proxy whose TLS contexts come from {@code tls} (a test's own recheck interval for PEM files, say). */
    public static SidecarProxy proxy(ProxyOptions options, Stats stats, TlsContexts tls) {
        return new SidecarProxy(new DefaultRouter(new Random(1)), balancers(stats), options, stats, new Random(3), tls);
    }

    public static SidecarProxy proxy(LoadBalancerFactory balancers, ProxyOptions options, Stats stats) {
        return new SidecarProxy(new DefaultRouter(new Random(1)), balancers, options, stats, new Random(3));
    }
}
