package dev.meshdeck.dataplane.route;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What routing needs to know of a request, independent of HTTP/1.1 or HTTP/2.
 *
 * @param method        {@code GET}, {@code POST}, ...
 * @param host          the host (authority) as the client sent it, port included if it sent one
 * @param path          the path with its query string ({@code /reviews/1?x=y})
 * @param headers       header values by lower-case name, in arrival order (pseudo-headers excluded)
 * @param sourceAddress the client's address (IP), for source-IP hashing
 */
public record RequestHead(String method, String host, String path, Map<String, List<String>> headers,
                          String sourceAddress) {
    public RequestHead {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        TreeMap<String, List<String>> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new java.util.ArrayList<>()).addAll(v));
        lower.replaceAll((k, v) -> List.copyOf(v));
        headers = java.util.Collections.unmodifiableMap(lower);
        sourceAddress = sourceAddress == null ? "" : sourceAddress;
    }

    /** The first value of {@code name} (case-insensitive); {@code :method} and {@code :authority} work too. */
    public Optional<String> header(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals(":method")) {
            return Optional.of(method);
        }
        if (n.equals(":authority") || n.equals("host")) {
            return Optional.of(host);
        }
        if (n.equals(":path")) {
            return Optional.of(path);
        }
        List<String> v = headers.get(n);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** The path without its query string. */
    public String pathOnly() {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
