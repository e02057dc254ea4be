package dev.meshdeck.dataplane.route;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.config.RouteMatch;
import dev.meshdeck.dataplane.config.StringMatcher;
import dev.meshdeck.dataplane.config.VirtualHost;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Route-table fixtures for the router tests. */
final class Routes {
    private Routes() {
    }

    static RouteMatch prefix(String prefix, RouteMatch.HeaderMatch... headers) {
        return new RouteMatch(new RouteMatch.PathMatch(StringMatcher.of(StringMatcher.Kind.PREFIX, prefix, false)),
                Arrays.asList(headers), List.of());
    }

    static RouteMatch withQuery(RouteMatch.QueryMatch... query) {
        return new RouteMatch(RouteMatch.PathMatch.ANY, List.of(), Arrays.asList(query));
    }

    static RouteMatch.HeaderMatch header(String name, String exact) {
        return new RouteMatch.HeaderMatch(name, StringMatcher.of(StringMatcher.Kind.EXACT, exact, false), false);
    }

    static Route to(String name, RouteMatch match, String cluster) {
        return weighted(name, match, new Route.WeightedCluster(cluster, 1));
    }

    static Route weighted(String name, RouteMatch match, Route.WeightedCluster... clusters) {
        var action = new Route.Action(Arrays.asList(clusters), null, null, null, null, null, null);
        return new Route(name, match, action, null, null, null, null);
    }

    static Route catchAll(String cluster) {
        return to("default", prefix("/"), cluster);
    }

    static VirtualHost vhost(String name, List<String> domains, Route... routes) {
        return new VirtualHost(name, domains, Arrays.asList(routes));
    }

    static RequestHead get(String host, String path) {
        return new RequestHead("GET", host, path, Map.of(), "10.1.1.1");
    }

    static RequestHead get(String host, String path, Map<String, List<String>> headers) {
        return new RequestHead("GET", host, path, headers, "10.1.1.1");
    }
}
