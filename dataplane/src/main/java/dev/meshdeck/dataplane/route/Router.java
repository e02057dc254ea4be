package dev.meshdeck.dataplane.route;

import dev.meshdeck.dataplane.config.RouteTable;

/**
 * Picks the virtual host (by host, exact domains before wildcards; the host with its port first, then
 * without it, before the {@code *} catch-all), the first route whose match fits, and one of its weighted
 * clusters. {@link DefaultRouter} is the implementation.
 */
public interface Router {
    RouteResult route(RouteTable table, RequestHead request);
}
