package dev.meshdeck.dataplane.config;

import java.util.List;
import java.util.Objects;

/**
 * A virtual host: the host names it answers for ({@code reviews}, {@code reviews:80}, {@code *}) and its
 * routes, tried in order.
 */
public record VirtualHost(String name, List<String> domains, List<Route> routes) {
    public VirtualHost {
        Objects.requireNonNull(name, "name");
        domains = List.copyOf(domains);
        routes = List.copyOf(routes);
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("virtual host " + name + ": no domains (expected: at least one)");
        }
    }
}
