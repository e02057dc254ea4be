package dev.meshdeck.dataplane.route.internal;

import dev.meshdeck.dataplane.config.RouteTable;
import dev.meshdeck.dataplane.config.VirtualHost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A route table's virtual hosts indexed by domain, searched as Envoy searches them: exact domains, then
 * suffix wildcards ({@code *.example.com}, {@code *-bar.example.com}) longest first, then prefix wildcards
 * ({@code reviews.*}) longest first, then {@code *}. A wildcard stands for at least one character. Domains
 * and hosts compare case-insensitively. The specific search runs on the host as sent (port included), then
 * on the host without its port, and only then does {@code *} apply; so {@code reviews:9080} finds a
 * virtual host for {@code reviews} before the catch-all. When two virtual hosts claim a domain the first
 * wins.
 */
public final class DomainIndex {
    private final Map<String, VirtualHost> exact = new HashMap<>();
    private final List<Wildcard> suffixes = new ArrayList<>();
    private final List<Wildcard> prefixes = new ArrayList<>();
    private final VirtualHost catchAll;

    private record Wildcard(String fixed, VirtualHost virtualHost) {
    }

    public DomainIndex(RouteTable table) {
        VirtualHost any = null;
        for (VirtualHost vh : table.virtualHosts()) {
            for (String raw : vh.domains()) {
                String domain = raw.toLowerCase(Locale.ROOT);
                if (domain.equals("*")) {
                    if (any == null) {
                        any = vh;
                    }
                } else if (domain.startsWith("*")) {
                    suffixes.add(new Wildcard(domain.substring(1), vh));
                } else if (domain.endsWith("*")) {
                    prefixes.add(new Wildcard(domain.substring(0, domain.length() - 1), vh));
                } else {
                    exact.putIfAbsent(domain, vh);
                }
            }
        }
        Comparator<Wildcard> longestFirst = Comparator.comparingInt((Wildcard w) -> w.fixed().length()).reversed();
        suffixes.sort(longestFirst);
        prefixes.sort(longestFirst);
        catchAll = any;
    }

    /** The virtual host for {@code host}, or {@code null}. */
    public VirtualHost find(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        VirtualHost vh = findSpecific(h);
        if (vh == null) {
            String withoutPort = stripPort(h);
            if (!withoutPort.equals(h)) {
                vh = findSpecific(withoutPort);
            }
        }
        return vh != null ? vh : catchAll;
    }

    private VirtualHost findSpecific(String host) {
        VirtualHost vh = exact.get(host);
        if (vh != null) {
            return vh;
        }
        for (Wildcard w : suffixes) {
            if (host.length() > w.fixed().length() && host.endsWith(w.fixed())) {
                return w.virtualHost();
            }
        }
        for (Wildcard w : prefixes) {
            if (host.length() > w.fixed().length() && host.startsWith(w.fixed())) {
                return w.virtualHost();
            }
        }
        return null;
    }

    /** {@code host:port} → {@code host}; {@code [::1]:80} → {@code [::1]}; a bare IPv6 address stays whole. */
    static String stripPort(String host) {
        int colon = host.lastIndexOf(':');
        if (colon < 0) {
            return host;
        }
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close >= 0 && colon > close ? host.substring(0, colon) : host;
        }
        if (host.indexOf(':') != colon) {
            return host;
        }
        for (int i = colon + 1; i < host.length(); i++) {
            if (!Character.isDigit(host.charAt(i))) {
                return host;
            }
        }
        return host.substring(0, colon);
    }
}
