package dev.meshdeck.dataplane.config;

import java.util.List;
import java.util.Objects;

/**
 * When a route applies (Envoy's {@code RouteMatch}): a path condition and every header and query
 * parameter condition. Pseudo-headers {@code :method} and {@code :authority} are matched as headers.
 *
 * @param path    the path condition (on the path without the query string)
 * @param headers header conditions; all must hold
 * @param query   query parameter conditions; all must hold
 */
public record RouteMatch(PathMatch path, List<HeaderMatch> headers, List<QueryMatch> query) {
    public RouteMatch {
        Objects.requireNonNull(path, "path");
        headers = List.copyOf(headers);
        query = List.copyOf(query);
    }

    /** Envoy's path specifiers: {@code prefix}, {@code path} (exact) or {@code safe_regex}. */
    public record PathMatch(StringMatcher matcher) {
        public static final PathMatch ANY = new PathMatch(StringMatcher.of(StringMatcher.Kind.PREFIX, "/", false));

        public PathMatch {
            Objects.requireNonNull(matcher, "matcher");
        }
    }

    /**
     * A header condition. {@code matcher} null means "present"; {@code invert} negates the result (a
     * missing header then matches).
     */
    public record HeaderMatch(String name, StringMatcher matcher, boolean invert) {
        public HeaderMatch {
            Objects.requireNonNull(name, "name");
            name = name.toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A query parameter condition; {@code matcher} null means "present". */
    public record QueryMatch(String name, StringMatcher matcher) {
        public QueryMatch {
            Objects.requireNonNull(name, "name");
        }
    }
}
