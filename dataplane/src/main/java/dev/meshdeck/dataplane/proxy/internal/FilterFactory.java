package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.ListenerConfig;
import dev.meshdeck.dataplane.proxy.ProxyOptions;
import dev.meshdeck.dataplane.route.Router;
import dev.meshdeck.dataplane.stats.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Builds a listener's filter chain: the request-header and routing steps every request takes, then the
 * listener's HTTP filters by their xDS names, the router last.
 */
public final class FilterFactory {
    private final ProxyFilter requestHeaders;
    private final ProxyFilter route;
    private final Map<String, Function<ListenerConfig, ProxyFilter>> byName;

    /**
     * @param stats  where the filters count (per listener: {@code http.<listener>.fault.*})
     * @param random the fault filter's percentages and the router's retry backoff; shared by the event
     *               loops, so safe for concurrent use
     */
    public FilterFactory(Router router, ProxyOptions options, Stats stats, RandomGenerator random) {
        this.requestHeaders = new RequestHeadersFilter(options.requestIds());
        this.route = new RouteFilter(router);
        ProxyFilter forward = new RouterFilter(random);
        this.byName = Map.of(
                FaultFilter.NAME, l -> new FaultFilter(random, new FaultStats(stats, l.name())),
                RouterFilter.NAME, l -> forward);
    }

    /** The listener's chain; an unknown filter name or a chain not ending with the router is an error. */
    public List<ProxyFilter> chain(ListenerConfig listener) {
        List<ProxyFilter> chain = new ArrayList<>(List.of(requestHeaders, route));
        List<String> names = listener.filters().isEmpty() ? List.of(RouterFilter.NAME) : listener.filters();
        for (String name : names) {
            Function<ListenerConfig, ProxyFilter> f = byName.get(name);
            if (f == null) {
                throw new IllegalArgumentException("listener " + listener.name() + ": HTTP filter " + name
                        + " is not supported (expected one of: " + byName.keySet().stream().sorted().toList() + ")");
            }
            chain.add(f.apply(listener));
        }
        if (!names.get(names.size() - 1).equals(RouterFilter.NAME)) {
            throw new IllegalArgumentException("listener " + listener.name() + ": HTTP filters " + names
                    + " (expected: " + RouterFilter.NAME + " last)");
        }
        return List.copyOf(chain);
    }
}
