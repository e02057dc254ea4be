package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.route.RequestHead;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A request's hash for consistent-hash clusters: from the first of the route's hash policies that yields a value. */
final class RequestHasher {
    private RequestHasher() {
    }

    static OptionalLong hash(List<Route.HashPolicy> policies, RequestHead request) {
        for (Route.HashPolicy p : policies) {
            Optional<String> value = switch (p.kind()) {
                case HEADER -> request.header(p.name());
                case SOURCE_IP -> request.sourceAddress().isEmpty() ? Optional.empty() : Optional.of(request.sourceAddress());
                case COOKIE -> cookie(request, p.name());
                case QUERY_PARAMETER -> queryParameter(request.path(), p.name());
            };
            if (value.isPresent()) {
                return OptionalLong.of(fnv1a64(value.get()));
            }
        }
        return OptionalLong.empty();
    }

    private static Optional<String> cookie(RequestHead request, String name) {
        for (String header : request.headers().getOrDefault("cookie", List.of())) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    return Optional.of(pair.substring(eq + 1).trim());
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> queryParameter(String path, String name) {
        int q = path.indexOf('?');
        if (q < 0) {
            return Optional.empty();
        }
        for (String pair : path.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return Optional.of(eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return Optional.empty();
    }

    static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
