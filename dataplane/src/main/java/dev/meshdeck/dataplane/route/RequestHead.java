package dev.meshdeck.dataplane.route;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
        if (!(headers instanceof LowerCaseHeaders)) {
            TreeMap<String, List<String>> lower = new TreeMap<>();
            headers.forEach((k, v) -> lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
            lower.replaceAll((k, v) -> List.copyOf(v));
            headers = new LowerCaseHeaders(lower);
        }
        sourceAddress = sourceAddress == null ? "" : sourceAddress;
    }

    /**
     * The headers of a request as they arrived (name, value; a name may repeat), in the form this record keeps
     * them, so that making the record copies nothing more: the proxy's one copy per request.
     */
    public static Map<String, List<String>> headersOf(Iterable<? extends Map.Entry<String, String>> arrived) {
        HashMap<String, List<String>> byName = new HashMap<>();
        for (Map.Entry<String, String> e : arrived) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            List<String> values = byName.get(name);
            if (values == null) {
                byName.put(name, List.of(e.getValue()));
            } else {
                List<String> more = new ArrayList<>(values.size() + 1);
                more.addAll(values);
                more.add(e.getValue());
                byName.put(name, Collections.unmodifiableList(more));
            }
        }
        return new LowerCaseHeaders(byName);
    }

    /** Header values by lower-case name; unmodifiable. */
    private static final class LowerCaseHeaders extends AbstractMap<String, List<String>> {
        private final Map<String, List<String>> byName;

        LowerCaseHeaders(Map<String, List<String>> byName) {
            this.byName = Collections.unmodifiableMap(byName);
        }

        @Override
        public List<String> get(Object name) {
            return byName.get(name);
        }

        @Override
        public boolean containsKey(Object name) {
            return byName.containsKey(name);
        }

        @Override
        public Set<Entry<String, List<String>>> entrySet() {
            return byName.entrySet();
        }
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
