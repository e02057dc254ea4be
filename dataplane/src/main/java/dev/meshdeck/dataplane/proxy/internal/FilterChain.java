package dev.meshdeck.dataplane.proxy.internal;

import java.util.List;

/** One request's walk through the listener's filters. */
public final class FilterChain {
    private final List<ProxyFilter> filters;
    private int next;

    FilterChain(List<ProxyFilter> filters) {
        this.filters = filters;
    }

    /** Hands the exchange to the next filter. The last filter (the router) never calls this. */
    public void proceed(Exchange exchange) {
        if (exchange.responseStarted() || exchange.finished()) {
            // Answered by a filter already, or the client left (e.g. during a fault delay).
            return;
        }
        if (next >= filters.size()) {
            throw new IllegalStateException("filter chain ended without a terminal filter: " + names());
        }
        filters.get(next++).onRequest(exchange, this);
    }

    List<String> names() {
        return filters.stream().map(ProxyFilter::name).toList();
    }
}
