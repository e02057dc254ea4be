package dev.meshdeck.dataplane.route.internal;

import dev.meshdeck.dataplane.config.RouteMatch;
import dev.meshdeck.dataplane.route.RequestHead;
import java.util.List;
import java.util.Optional;

/** Whether a request fits a {@link RouteMatch}: its path, every header condition and every query condition. */
public final class Matching {
    private Matching() {
    }

    public static boolean matches(RouteMatch match, RequestHead request) {
        if (!match.path().matcher().matches(request.pathOnly())) {
            return false;
        }
        // Indexed loops: this runs for every route tried on every request, and a list's iterator is an allocation.
        List<RouteMatch.HeaderMatch> headers = match.headers();
        for (int i = 0; i < headers.size(); i++) {
            if (!matches(headers.get(i), request)) {
                return false;
            }
        }
        List<RouteMatch.QueryMatch> query = match.query();
        for (int i = 0; i < query.size(); i++) {
            RouteMatch.QueryMatch q = query.get(i);
            Optional<String> value = QueryString.first(request.path(), q.name());
            boolean ok = q.matcher() == null ? value.isPresent() : value.isPresent() && q.matcher().matches(value.get());
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * A header condition: {@code matcher} null means present; with {@code invert} the result flips (so a
     * missing header matches an inverted condition). A header sent several times is matched on its values
     * joined with commas, as Envoy does.
     */
    public static boolean matches(RouteMatch.HeaderMatch h, RequestHead request) {
        Optional<String> value = headerValue(request, h.name());
        boolean raw = h.matcher() == null ? value.isPresent() : value.isPresent() && h.matcher().matches(value.get());
        return raw != h.invert();
    }

    /** All values of a header joined with commas; pseudo-headers and {@code host} from the request line. */
    public static Optional<String> headerValue(RequestHead request, String name) {
        if (name.startsWith(":") || name.equals("host")) {
            return request.header(name);
        }
        List<String> values = request.headers().get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(values.size() == 1 ? values.get(0) : String.join(",", values));
    }
}
