package dev.meshdeck.dataplane.route;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.config.RouteTable;
import dev.meshdeck.dataplane.config.VirtualHost;
import dev.meshdeck.dataplane.route.internal.DomainIndex;
import dev.meshdeck.dataplane.route.internal.Matching;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The router, as Envoy's: the virtual host by domain (exact, then {@code *.suffix} longest first, then
 * {@code prefix.*} longest first, then {@code *}; the host with its port first, then without), then the
 * first route whose {@link dev.meshdeck.dataplane.config.RouteMatch} fits, then one of its weighted
 * clusters drawn with the injected random in proportion to weight (any positive total; a zero-weight
 * cluster is never drawn; if every weight is zero, the first cluster).
 *
 * <p>Each route table's domain index is built once and kept for the last few tables seen (by identity),
 * so a config swap costs one rebuild. Thread-safe if the random is safe for concurrent use.
 */
public final class DefaultRouter implements Router {
    private static final int CACHED_TABLES = 8;

    private final RandomGenerator random;
    private volatile List<Compiled> compiled = List.of();

    private record Compiled(RouteTable table, DomainIndex index) {
    }

    public DefaultRouter(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public RouteResult route(RouteTable table, RequestHead request) {
        VirtualHost vh = index(table).find(request.host());
        if (vh == null) {
            return new RouteResult.NoVirtualHost(request.host());
        }
        for (Route route : vh.routes()) {
            if (Matching.matches(route.match(), request)) {
                if (route.redirect() != null) {
                    return new RouteResult.Redirect(vh, route, route.redirect());
                }
                return new RouteResult.Forward(vh, route, pickCluster(route.action()));
            }
        }
        return new RouteResult.NoRoute(request.host(), request.pathOnly());
    }

    private String pickCluster(Route.Action action) {
        List<Route.WeightedCluster> clusters = action.clusters();
        if (clusters.size() == 1) {
            return clusters.get(0).name();
        }
        long total = 0;
        for (Route.WeightedCluster c : clusters) {
            total += c.weight();
        }
        if (total <= 0) {
            return clusters.get(0).name();
        }
        long r = random.nextLong(total);
        for (Route.WeightedCluster c : clusters) {
            r -= c.weight();
            if (r < 0) {
                return c.name();
            }
        }
        throw new IllegalStateException("weighted choice out of range");
    }

    private DomainIndex index(RouteTable table) {
        List<Compiled> current = compiled;
        for (Compiled c : current) {
            if (c.table() == table) {
                return c.index();
            }
        }
        DomainIndex index = new DomainIndex(table);
        List<Compiled> next = new java.util.ArrayList<>(CACHED_TABLES);
        next.add(new Compiled(table, index));
        for (int i = 0; i < current.size() && next.size() < CACHED_TABLES; i++) {
            next.add(current.get(i));
        }
        compiled = List.copyOf(next);
        return index;
    }
}
