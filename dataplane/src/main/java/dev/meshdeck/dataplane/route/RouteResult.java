package dev.meshdeck.dataplane.route;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.config.VirtualHost;

/** What the route table says to do with a request. */
public sealed interface RouteResult {

    /** No virtual host answers for the request's host: a 404 that names the host. */
    record NoVirtualHost(String host) implements RouteResult {
    }

    /** The virtual host has no route whose match fits: a 404 that names host and path. */
    record NoRoute(String host, String path) implements RouteResult {
    }

    /** Answer with a redirect. */
    record Redirect(VirtualHost virtualHost, Route route, Route.Redirect redirect) implements RouteResult {
    }

    /** Forward to {@code cluster}, chosen among the route's weighted clusters. */
    record Forward(VirtualHost virtualHost, Route route, String cluster) implements RouteResult {
        public Route.Action action() {
            return route.action();
        }
    }
}
