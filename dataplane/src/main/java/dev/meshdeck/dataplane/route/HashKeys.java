package dev.meshdeck.dataplane.route;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.lb.XxHash64;
import dev.meshdeck.dataplane.route.internal.QueryString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The request hash for ring hash and Maglev clusters, from a route's hash policies: the first policy that
 * finds its input wins (as if every Envoy policy were {@code terminal}). The hash is {@link XxHash64} of:
 * <ul>
 *   <li>{@code HEADER}: the header's value (several values sorted and joined with commas, so their order
 *       does not matter);</li>
 *   <li>{@code COOKIE}: the named cookie's value from the {@code Cookie} header(s);</li>
 *   <li>{@code SOURCE_IP}: the client's address;</li>
 *   <li>{@code QUERY_PARAMETER}: the parameter's first value, percent-decoded.</li>
 * </ul>
 * Empty when no policy finds its input (the balancer then picks at random).
 */
public final class HashKeys {
    private HashKeys() {
    }

    public static OptionalLong compute(List<Route.HashPolicy> policies, RequestHead request) {
        for (Route.HashPolicy policy : policies) {
            Optional<String> input = input(policy, request);
            if (input.isPresent()) {
                return OptionalLong.of(XxHash64.hash(input.get()));
            }
        }
        return OptionalLong.empty();
    }

    private static Optional<String> input(Route.HashPolicy policy, RequestHead request) {
        return switch (policy.kind()) {
            case HEADER -> header(request, policy.name());
            case COOKIE -> cookie(request, policy.name());
            case SOURCE_IP -> request.sourceAddress().isEmpty() ? Optional.empty() : Optional.of(request.sourceAddress());
            case QUERY_PARAMETER -> QueryString.first(request.path(), policy.name());
        };
    }

    private static Optional<String> header(RequestHead request, String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.startsWith(":") || n.equals("host")) {
            return request.header(n);
        }
        List<String> values = request.headers().get(n);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() == 1) {
            return Optional.of(values.get(0));
        }
        List<String> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return Optional.of(String.join(",", sorted));
    }

    /** The value of cookie {@code name} in the {@code Cookie} header(s) ({@code a=1; b=2}). */
    static Optional<String> cookie(RequestHead request, String name) {
        List<String> headers = request.headers().get("cookie");
        if (headers == null) {
            return Optional.empty();
        }
        for (String header : headers) {
            for (String part : header.split(";")) {
                String p = part.strip();
                int eq = p.indexOf('=');
                if (eq > 0 && p.substring(0, eq).strip().equals(name)) {
                    String value = p.substring(eq + 1).strip();
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    return Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }
}
