package dev.meshdeck.controller.config.load.internal;

import dev.meshdeck.controller.config.Metadata;
import dev.meshdeck.controller.config.Percent;
import dev.meshdeck.controller.config.Source;
import dev.meshdeck.controller.config.StringMatch;
import dev.meshdeck.controller.config.VirtualService;
import dev.meshdeck.controller.config.VirtualService.Destination;
import dev.meshdeck.controller.config.VirtualService.Fault;
import dev.meshdeck.controller.config.VirtualService.HeaderOperations;
import dev.meshdeck.controller.config.VirtualService.Headers;
import dev.meshdeck.controller.config.VirtualService.HttpMatch;
import dev.meshdeck.controller.config.VirtualService.HttpRoute;
import dev.meshdeck.controller.config.VirtualService.Mirror;
import dev.meshdeck.controller.config.VirtualService.Redirect;
import dev.meshdeck.controller.config.VirtualService.Retries;
import dev.meshdeck.controller.config.VirtualService.Rewrite;
import dev.meshdeck.controller.config.VirtualService.RouteDestination;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a {@code VirtualService}'s spec: hosts, gateways (only {@code mesh}) and http routes. */
final class VirtualServiceBinder {
    private final Binding b;

    VirtualServiceBinder(Binding b) {
        this.b = b;
    }

    VirtualService bind(Metadata metadata, Source source, Fields spec) {
        int mark = b.errorCount();
        List<String> hosts = spec.requiredList("hosts", (p, n) -> host(p, n, true), "at least one host, such as reviews");
        List<String> gateways = spec.list("gateways", this::gateway);
        List<HttpRoute> http = spec.requiredList("http", this::httpRoute,
                "at least one http route (Meshdeck routes HTTP and gRPC only)");
        spec.finish("tls", "tcp", "exportTo");
        if (metadata == null || b.hasErrorsSince(mark)) {
            return null;
        }
        return new VirtualService(metadata, source, hosts, gateways, http);
    }

    private String host(String path, Node node, boolean wildcard) {
        String h = Values.string(b, path, node);
        if (h == null) {
            return null;
        }
        String problem = Checks.host(h, wildcard);
        if (problem != null) {
            b.error(path, node.line(), problem);
            return null;
        }
        return h;
    }

    private String gateway(String path, Node node) {
        String g = Values.string(b, path, node);
        if (g != null && !g.equals("mesh")) {
            b.error(path, node.line(), "\"" + g + "\" (expected: mesh; Meshdeck has no gateways, only sidecars)");
            return null;
        }
        return g;
    }

    private HttpRoute httpRoute(String path, Node node) {
        Fields r = Fields.of(b, path, node);
        if (r == null) {
            return null;
        }
        int mark = b.errorCount();
        String name = r.string("name");
        List<HttpMatch> match = r.list("match", this::match);
        List<RouteDestination> route = r.list("route", this::routeDestination);
        Rewrite rewrite = r.object("rewrite", this::rewrite);
        Redirect redirect = r.object("redirect", this::redirect);
        Duration timeout = r.duration("timeout");
        Retries retries = r.object("retries", this::retries);
        Fault fault = r.object("fault", this::fault);
        Destination mirror = r.object("mirror", this::destination);
        Integer mirrorPercent = r.integer("mirrorPercent", 0, 100);
        Percent mirrorPercentage = r.object("mirrorPercentage", this::percent);
        List<Mirror> mirrors = r.list("mirrors", this::mirrorPolicy);
        Headers headers = r.object("headers", this::headers);
        r.finish("directResponse", "delegate", "corsPolicy");

        boolean hasRoute = r.hasContent("route");
        if (!hasRoute && !r.has("redirect")) {
            r.error("missing route (expected: at least one route destination, or a redirect)");
        }
        if (hasRoute && r.has("redirect")) {
            r.error("redirect", "route and redirect are both set (expected: one of them)");
        }
        if (r.has("mirror") && r.has("mirrors")) {
            r.error("mirrors", "mirror and mirrors are both set (expected: one of them)");
        }
        if (r.has("mirrorPercent") && r.has("mirrorPercentage")) {
            r.error("mirrorPercentage", "mirrorPercent and mirrorPercentage are both set (expected: one of them;"
                    + " mirrorPercent is deprecated)");
        }
        for (String pct : List.of("mirrorPercent", "mirrorPercentage")) {
            if (r.has(pct) && !r.has("mirror")) {
                r.error(pct, pct + " without mirror (expected: a mirror destination; with mirrors, each"
                        + " entry has its own percentage)");
            }
        }
        if (route != null && !b.hasErrorsSince(mark)) {
            checkWeights(r, route);
        }
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        if (mirror != null) {
            Percent p = mirrorPercentage != null ? mirrorPercentage
                    : mirrorPercent != null ? new Percent(mirrorPercent) : Percent.HUNDRED;
            mirrors = List.of(new Mirror(mirror, p));
        }
        return new HttpRoute(name, match, route, rewrite, redirect, timeout, retries, fault, mirrors, headers);
    }

    /** Weights of one route add up to 100; a single destination without a weight gets all of it. */
    private void checkWeights(Fields r, List<RouteDestination> route) {
        if (route.size() == 1 && route.getFirst().weight() == null) {
            return;
        }
        int sum = route.stream().mapToInt(d -> d.weight() == null ? 0 : d.weight()).sum();
        if (sum != 100) {
            r.error("route", "weights add up to " + sum + " (expected: 100"
                    + (route.size() == 1 ? "; leave out the weight of a single destination" : "") + ")");
        }
    }

    private HttpMatch match(String path, Node node) {
        Fields m = Fields.of(b, path, node);
        if (m == null) {
            return null;
        }
        int mark = b.errorCount();
        String name = m.string("name");
        StringMatch uri = m.object("uri", (p, n) -> stringMatch(p, n, false));
        StringMatch method = m.object("method", (p, n) -> stringMatch(p, n, false));
        StringMatch authority = m.object("authority", (p, n) -> stringMatch(p, n, false));
        Map<String, StringMatch> headers = m.map("headers", this::headerMatch);
        Map<String, StringMatch> queryParams = m.map("queryParams", (k, p, n) -> stringMatch(p, n, false));
        Map<String, StringMatch> withoutHeaders = m.map("withoutHeaders", this::headerMatch);
        Boolean ignoreUriCase = m.bool("ignoreUriCase");
        m.finish("scheme", "port", "sourceLabels", "gateways", "sourceNamespace", "statPrefix");
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        return new HttpMatch(name, uri, method, authority, headers, queryParams, withoutHeaders,
                Boolean.TRUE.equals(ignoreUriCase));
    }

    private StringMatch headerMatch(String header, String path, Node node) {
        String problem = Checks.headerName(header);
        if (problem != null) {
            b.error(path, node.line(), problem);
            return null;
        }
        return stringMatch(path, node, true);
    }

    /** Istio's {@code StringMatch}: exactly one of exact, prefix, regex (RE2). */
    private StringMatch stringMatch(String path, Node node, boolean header) {
        Fields s = Fields.of(b, path, node);
        if (s == null) {
            return null;
        }
        int mark = b.errorCount();
        String exact = s.string("exact");
        String prefix = s.string("prefix");
        String regex = s.string("regex");
        s.finish();
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        List<String> set = new ArrayList<>();
        if (exact != null) {
            set.add("exact");
        }
        if (prefix != null) {
            set.add("prefix");
        }
        if (regex != null) {
            set.add("regex");
        }
        if (set.isEmpty()) {
            s.error(header ? "an empty match (header presence) is not supported by Meshdeck"
                    + " (expected: one of exact, prefix, regex; for any value use regex: \".*\")"
                    : "empty (expected: one of exact, prefix, regex)");
            return null;
        }
        if (set.size() > 1) {
            s.error(set.get(1), String.join(" and ", set) + " are both set (expected: one of exact, prefix, regex)");
            return null;
        }
        if (regex != null) {
            String problem = Checks.re2(regex);
            if (problem != null) {
                s.error("regex", problem);
                return null;
            }
            return StringMatch.regex(regex);
        }
        return exact != null ? StringMatch.exact(exact) : StringMatch.prefix(prefix);
    }

    private RouteDestination routeDestination(String path, Node node) {
        Fields d = Fields.of(b, path, node);
        if (d == null) {
            return null;
        }
        int mark = b.errorCount();
        Destination destination = d.object("destination", this::destination);
        if (!d.has("destination")) {
            d.missing("destination", "a destination with at least a host");
        }
        Integer weight = d.integer("weight", 0, 100);
        Headers headers = d.object("headers", this::headers);
        d.finish();
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        return new RouteDestination(destination, weight, headers);
    }

    private Destination destination(String path, Node node) {
        Fields d = Fields.of(b, path, node);
        if (d == null) {
            return null;
        }
        int mark = b.errorCount();
        String host = d.requiredString("host", "the destination's service host, such as reviews");
        if (host != null) {
            String problem = Checks.host(host, false);
            if (problem != null) {
                d.error("host", problem);
            }
        }
        String subset = d.string("subset");
        if (subset != null) {
            String problem = Checks.dnsLabel(subset);
            if (problem != null) {
                d.error("subset", problem);
            }
        }
        Integer port = d.object("port", this::portSelector);
        d.finish();
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        return new Destination(host, subset, port);
    }

    private Integer portSelector(String path, Node node) {
        Fields p = Fields.of(b, path, node);
        if (p == null) {
            return null;
        }
        int mark = b.errorCount();
        Integer number = p.integer("number", 1, 65535);
        if (!p.has("number")) {
            p.missing("number", "a port number 1..65535");
        }
        p.finish();
        return b.hasErrorsSince(mark) ? null : number;
    }

    private Rewrite rewrite(String path, Node node) {
        Fields r = Fields.of(b, path, node);
        if (r == null) {
            return null;
        }
        int mark = b.errorCount();
        String uri = r.string("uri");
        String authority = r.string("authority");
        r.finish("uriRegexRewrite");
        if (!b.hasErrorsSince(mark) && uri == null && authority == null) {
            r.error("empty (expected: uri, authority or both)");
        }
        return b.hasErrorsSince(mark) ? null : new Rewrite(uri, authority);
    }

    private Redirect redirect(String path, Node node) {
        Fields r = Fields.of(b, path, node);
        if (r == null) {
            return null;
        }
        int mark = b.errorCount();
        String uri = r.string("uri");
        String authority = r.string("authority");
        Integer code = r.integer("redirectCode", 100, 599);
        if (code != null && !Checks.REDIRECT_CODES.contains(code)) {
            r.error("redirectCode", code + " (expected: one of " + Checks.REDIRECT_CODES + ")");
        }
        r.finish("port", "derivePort", "scheme");
        if (!b.hasErrorsSince(mark) && uri == null && authority == null) {
            r.error("empty (expected: uri, authority or both)");
        }
        return b.hasErrorsSince(mark) ? null : new Redirect(uri, authority, code);
    }

    private Retries retries(String path, Node node) {
        Fields r = Fields.of(b, path, node);
        if (r == null) {
            return null;
        }
        int mark = b.errorCount();
        Integer attempts = r.integer("attempts", 0, Integer.MAX_VALUE);
        Duration perTryTimeout = r.duration("perTryTimeout");
        String retryOn = r.string("retryOn");
        if (retryOn != null) {
            String problem = Checks.retryOn(retryOn);
            if (problem != null) {
                r.error("retryOn", problem);
            }
        }
        r.finish("retryRemoteLocalities", "retryIgnorePreviousHosts", "backoff");
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        return new Retries(attempts == null ? 0 : attempts, perTryTimeout, retryOn);
    }

    private Fault fault(String path, Node node) {
        Fields f = Fields.of(b, path, node);
        if (f == null) {
            return null;
        }
        int mark = b.errorCount();
        Fault.Delay delay = f.object("delay", this::delay);
        Fault.Abort abort = f.object("abort", this::abort);
        f.finish();
        if (!f.has("delay") && !f.has("abort")) {
            f.error("empty (expected: delay, abort or both)");
        }
        return b.hasErrorsSince(mark) ? null : new Fault(delay, abort);
    }

    private Fault.Delay delay(String path, Node node) {
        Fields d = Fields.of(b, path, node);
        if (d == null) {
            return null;
        }
        int mark = b.errorCount();
        Duration fixedDelay = d.duration("fixedDelay");
        if (!d.has("fixedDelay")) {
            d.missing("fixedDelay", "a duration such as 5s");
        }
        Percent percentage = percentage(d);
        d.finish("exponentialDelay");
        return b.hasErrorsSince(mark) ? null : new Fault.Delay(fixedDelay, percentage);
    }

    private Fault.Abort abort(String path, Node node) {
        Fields a = Fields.of(b, path, node);
        if (a == null) {
            return null;
        }
        int mark = b.errorCount();
        Integer httpStatus = a.integer("httpStatus", 200, 599);
        String grpcStatus = a.string("grpcStatus");
        if (grpcStatus != null && !Checks.GRPC_CODES.contains(grpcStatus)) {
            a.error("grpcStatus", "\"" + grpcStatus + "\" (expected: a gRPC status code name, one of "
                    + String.join(", ", Checks.GRPC_CODES) + ")");
        }
        Percent percentage = percentage(a);
        a.finish("http2Error");
        if (a.has("httpStatus") == a.has("grpcStatus")) {
            a.error(a.has("httpStatus") ? "httpStatus and grpcStatus are both set (expected: one of them)"
                    : "missing status (expected: httpStatus 200..599 or grpcStatus, a gRPC code name)");
        }
        return b.hasErrorsSince(mark) ? null : new Fault.Abort(httpStatus, grpcStatus, percentage);
    }

    /** {@code percentage: {value: 12.5}}, or the deprecated integer {@code percent: 12}. */
    private Percent percentage(Fields f) {
        Percent percentage = f.object("percentage", this::percent);
        Integer percent = f.integer("percent", 0, 100);
        if (f.has("percent") && f.has("percentage")) {
            f.error("percent", "percent and percentage are both set (expected: one of them; percent is deprecated)");
            return null;
        }
        return percent != null ? new Percent(percent) : percentage;
    }

    /** Istio's {@code Percent}: {@code {value: 12.5}}. */
    private Percent percent(String path, Node node) {
        Fields p = Fields.of(b, path, node);
        if (p == null) {
            return null;
        }
        int mark = b.errorCount();
        Double value = p.number("value", 0, 100);
        p.finish();
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        return new Percent(value == null ? 0 : value);
    }

    private Mirror mirrorPolicy(String path, Node node) {
        Fields m = Fields.of(b, path, node);
        if (m == null) {
            return null;
        }
        int mark = b.errorCount();
        Destination destination = m.object("destination", this::destination);
        if (!m.has("destination")) {
            m.missing("destination", "a destination with at least a host");
        }
        Percent percentage = m.object("percentage", this::percent);
        m.finish();
        return b.hasErrorsSince(mark) ? null : new Mirror(destination, percentage);
    }

    private Headers headers(String path, Node node) {
        Fields h = Fields.of(b, path, node);
        if (h == null) {
            return null;
        }
        int mark = b.errorCount();
        HeaderOperations request = h.object("request", this::headerOperations);
        HeaderOperations response = h.object("response", this::headerOperations);
        h.finish();
        return b.hasErrorsSince(mark) ? null : new Headers(request, response);
    }

    private HeaderOperations headerOperations(String path, Node node) {
        Fields h = Fields.of(b, path, node);
        if (h == null) {
            return null;
        }
        int mark = b.errorCount();
        Map<String, String> set = h.map("set", this::headerValue);
        Map<String, String> add = h.map("add", this::headerValue);
        List<String> remove = h.list("remove", (p, n) -> {
            String name = Values.string(b, p, n);
            String problem = name == null ? null : Checks.headerName(name);
            if (problem != null) {
                b.error(p, n.line(), problem);
                return null;
            }
            return name;
        });
        h.finish();
        return b.hasErrorsSince(mark) ? null : new HeaderOperations(set, add, remove);
    }

    private String headerValue(String header, String path, Node node) {
        String problem = Checks.headerName(header);
        if (problem != null) {
            b.error(path, node.line(), problem);
            return null;
        }
        return Values.string(b, path, node);
    }
}
