package dev.meshdeck.dataplane.route;

import dev.meshdeck.dataplane.config.RouteTable;

/**
 * Picks the virtual host (by host, exact domains before wildcards, port ignored when no domain has one),
 * the first route whose match fits, and one of its weighted clusters.
 */
public interface Router {
    RouteResult route(RouteTable table, RequestHead request);
}
