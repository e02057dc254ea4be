package dev.meshdeck.controller.translate.internal;

import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import dev.meshdeck.controller.config.DestinationRule.ConsistentHash;
import dev.meshdeck.controller.config.DestinationRule.LoadBalancer;
import dev.meshdeck.controller.config.StringMatch;
import dev.meshdeck.controller.config.VirtualService;
import dev.meshdeck.controller.config.VirtualService.HttpMatch;
import dev.meshdeck.controller.config.VirtualService.HttpRoute;
import dev.meshdeck.controller.translate.XdsNames;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * RDS: the routes of each service's virtual host in the {@code outbound} route config (a VirtualService's
 * http routes in order, or one default route), and the sidecar's {@code inbound|port} route config.
 */
final class RouteFactory {
    /** Istio's retry conditions when a route says nothing about retries. */
    static final String DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";
    static final int DEFAULT_RETRY_ATTEMPTS = 2;
    static final int DEFAULT_RETRIABLE_STATUS = 503;
    static final int HOST_SELECTION_RETRY_MAX_ATTEMPTS = 5;
    private static final RetryPolicy.RetryHostPredicate PREVIOUS_HOSTS = RetryPolicy.RetryHostPredicate.newBuilder()
            .setName(XdsNames.PREVIOUS_HOSTS_PREDICATE)
            .setTypedConfig(Protos.any(PreviousHostsPredicate.getDefaultInstance()))
            .build();

    private final MeshModel model;

    RouteFactory(MeshModel model) {
        this.model = model;
    }

    /** The routes of the virtual host of {@code s}. */
    List<Route> routes(MeshService s) {
        VirtualService vs = s.virtualService();
        if (vs == null) {
            return List.of(defaultRoute(s));
        }
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < vs.http().size(); i++) {
            HttpRoute http = vs.http().get(i);
            List<HttpMatch> matches = http.match().isEmpty() ? java.util.Collections.singletonList(null) : http.match();
            for (HttpMatch m : matches) {
                routes.add(route(vs, i, http, m));
            }
        }
        return routes;
    }

    /**
     * The {@code outbound} route config as a client in {@code clientNamespace} sees it: a virtual host per
     * service, whose domains are the names that client may use (with and without each port). A domain is
     * given to the first virtual host (in host order) claiming it, since Envoy refuses duplicates.
     */
    static RouteConfiguration outbound(List<ServiceRoutes> services, String clientNamespace) {
        RouteConfiguration.Builder rc = RouteConfiguration.newBuilder().setName(XdsNames.OUTBOUND);
        Set<String> claimed = new java.util.HashSet<>();
        for (ServiceRoutes sr : services) {
            Set<String> domains = new LinkedHashSet<>();
            for (String name : sr.service().names(clientNamespace)) {
                domains.add(name);
                for (int port : sr.service().ports()) {
                    domains.add(name + ":" + port);
                }
            }
            domains.removeIf(d -> !claimed.add(d));
            if (domains.isEmpty()) {
                continue;
            }
            rc.addVirtualHosts(VirtualHost.newBuilder()
                    .setName(sr.service().host())
                    .addAllDomains(domains)
                    .addAllRoutes(sr.routes()));
        }
        return rc.build();
    }

    /** A service and the routes of its virtual host, which do not depend on the client. */
    record ServiceRoutes(MeshService service, List<Route> routes) {
    }

    /** {@code inbound|<appPort>}: everything to the local app. */
    static RouteConfiguration inbound(int appPort) {
        return RouteConfiguration.newBuilder()
                .setName(XdsNames.inboundRoute(appPort))
                .addVirtualHosts(VirtualHost.newBuilder()
                        .setName("inbound|http|" + appPort)
                        .addDomains("*")
                        .addRoutes(Route.newBuilder()
                                .setName("default")
                                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setRoute(RouteAction.newBuilder()
                                        .setCluster(XdsNames.inboundCluster(appPort))
                                        .setTimeout(Protos.ZERO))))
                .build();
    }

    private Route defaultRoute(MeshService s) {
        RouteAction.Builder action = RouteAction.newBuilder()
                .setCluster(XdsNames.outboundCluster(s.defaultPort(), null, s.host()))
                .setTimeout(Protos.ZERO)
                .setRetryPolicy(retryPolicy(null));
        hashPolicy(action, s.policy(null).loadBalancer());
        return Route.newBuilder()
                .setName("default")
                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(action)
                .build();
    }

    private Route route(VirtualService vs, int index, HttpRoute http, HttpMatch match) {
        Route.Builder r = Route.newBuilder()
                .setName(routeName(http, match))
                .setMatch(match(match))
                .setMetadata(Protos.origin("virtual-service", vs.metadata().namespace(), vs.metadata().name()));
        if (http.redirect() != null) {
            r.setRedirect(redirect(http.redirect()));
        } else {
            r.setRoute(action(vs, index, http, match, r));
        }
        addHeaders(r, http.headers());
        if (http.fault() != null && (http.fault().delay() != null || http.fault().abort() != null)) {
            r.putTypedPerFilterConfig(XdsNames.FAULT_FILTER, Protos.any(fault(http.fault())));
        }
        return r.build();
    }

    /** Istio's: the http route's name, dot, the match's name; either alone when the other is missing. */
    private static String routeName(HttpRoute http, HttpMatch match) {
        String matchName = match == null ? null : match.name();
        if (http.name() == null) {
            return matchName == null ? "" : matchName;
        }
        return matchName == null ? http.name() : http.name() + "." + matchName;
    }

    private RouteAction action(VirtualService vs, int index, HttpRoute http, HttpMatch match, Route.Builder route) {
        String ns = vs.metadata().namespace();
        List<VirtualService.RouteDestination> dests = destinations(vs, index, http);
        RouteAction.Builder a = RouteAction.newBuilder();
        if (dests.size() == 1) {
            VirtualService.RouteDestination d = dests.get(0);
            a.setCluster(cluster(d.destination(), ns));
            addHeaders(route, d.headers());
        } else {
            WeightedCluster.Builder wc = WeightedCluster.newBuilder();
            for (VirtualService.RouteDestination d : dests) {
                WeightedCluster.ClusterWeight.Builder cw = WeightedCluster.ClusterWeight.newBuilder()
                        .setName(cluster(d.destination(), ns))
                        .setWeight(UInt32Value.of(d.weight()));
                VirtualService.Headers h = d.headers();
                cw.addAllRequestHeadersToAdd(headerOptions(h.request()))
                        .addAllRequestHeadersToRemove(h.request().remove())
                        .addAllResponseHeadersToAdd(headerOptions(h.response()))
                        .addAllResponseHeadersToRemove(h.response().remove());
                wc.addClusters(cw);
            }
            a.setWeightedClusters(wc);
        }
        a.setTimeout(http.timeout() != null ? Protos.duration(http.timeout()) : Protos.ZERO);
        RetryPolicy retry = retryPolicy(http.retries());
        if (retry != null) {
            a.setRetryPolicy(retry);
        }
        if (http.rewrite() != null) {
            rewrite(a, http.rewrite(), match == null ? null : match.uri());
        }
        for (VirtualService.Mirror m : http.mirrors()) {
            a.addRequestMirrorPolicies(RouteAction.RequestMirrorPolicy.newBuilder()
                    .setCluster(cluster(m.destination(), ns))
                    .setRuntimeFraction(RuntimeFractionalPercent.newBuilder().setDefaultValue(Protos.fraction(m.percentage()))));
        }
        VirtualService.Destination first = dests.get(0).destination();
        MeshService target = model.service(model.resolve(first.host(), ns));
        hashPolicy(a, target.policy(first.subset()).loadBalancer());
        return a.build();
    }

    /**
     * The destinations that get traffic, with weights: one destination takes all; several without weights
     * share equally; otherwise a missing weight is 0, and destinations with weight 0 are left out (Istio
     * does the same), down to a plain cluster when one remains.
     */
    private static List<VirtualService.RouteDestination> destinations(VirtualService vs, int index, HttpRoute http) {
        List<VirtualService.RouteDestination> all = http.route();
        if (all.isEmpty()) {
            throw new IllegalArgumentException(vs.key() + ": http[" + index + "]: no route and no redirect"
                    + " (expected: at least one route destination, or a redirect)");
        }
        if (all.size() == 1) {
            return all;
        }
        boolean anyWeight = all.stream().anyMatch(d -> d.weight() != null);
        List<VirtualService.RouteDestination> out = new ArrayList<>();
        for (VirtualService.RouteDestination d : all) {
            int w = anyWeight ? (d.weight() == null ? 0 : d.weight()) : 1;
            if (w > 0) {
                out.add(new VirtualService.RouteDestination(d.destination(), w, d.headers()));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(vs.key() + ": http[" + index + "]: every destination has weight 0"
                    + " (expected: weights that sum to more than 0)");
        }
        return out;
    }

    private String cluster(VirtualService.Destination d, String namespace) {
        MeshService s = model.service(model.resolve(d.host(), namespace));
        return XdsNames.outboundCluster(d.port() != null ? d.port() : s.defaultPort(),
                d.subset() == null || d.subset().isEmpty() ? null : d.subset(), s.host());
    }

    private static RouteMatch match(HttpMatch m) {
        RouteMatch.Builder b = RouteMatch.newBuilder();
        if (m == null || m.uri() == null) {
            b.setPrefix("/");
        } else {
            switch (m.uri().type()) {
                case EXACT -> b.setPath(m.uri().value());
                case PREFIX -> b.setPrefix(m.uri().value());
                case REGEX -> b.setSafeRegex(regex(m.uri().value()));
            }
        }
        if (m == null) {
            return b.build();
        }
        if (m.ignoreUriCase()) {
            b.setCaseSensitive(BoolValue.of(false));
        }
        if (m.authority() != null) {
            b.addHeaders(header(":authority", m.authority(), false));
        }
        if (m.method() != null) {
            b.addHeaders(header(":method", m.method(), false));
        }
        new TreeMap<>(m.headers()).forEach((name, sm) -> b.addHeaders(header(name, sm, false)));
        new TreeMap<>(m.withoutHeaders()).forEach((name, sm) -> b.addHeaders(header(name, sm, true)));
        new TreeMap<>(m.queryParams()).forEach((name, sm) -> b.addQueryParameters(QueryParameterMatcher.newBuilder()
                .setName(name)
                .setStringMatch(stringMatcher(sm))));
        return b.build();
    }

    private static HeaderMatcher header(String name, StringMatch sm, boolean invert) {
        HeaderMatcher.Builder h = HeaderMatcher.newBuilder()
                .setName(name.toLowerCase(java.util.Locale.ROOT))
                .setStringMatch(stringMatcher(sm));
        if (invert) {
            h.setInvertMatch(true);
        }
        return h.build();
    }

    private static StringMatcher stringMatcher(StringMatch sm) {
        StringMatcher.Builder b = StringMatcher.newBuilder();
        return switch (sm.type()) {
            case EXACT -> b.setExact(sm.value()).build();
            case PREFIX -> b.setPrefix(sm.value()).build();
            case REGEX -> b.setSafeRegex(regex(sm.value())).build();
        };
    }

    /** RE2 is Envoy's only engine and its default; the {@code google_re2} field is deprecated, so left out. */
    private static RegexMatcher regex(String pattern) {
        return RegexMatcher.newBuilder().setRegex(pattern).build();
    }

    /**
     * Istio's retries: none written means 2 retries on connect failures, refused streams, gRPC
     * unavailable/cancelled and 503; {@code attempts: 0} means none; numbers in {@code retryOn} become
     * retriable status codes. Every policy avoids hosts already tried, as Istio's does.
     */
    static RetryPolicy retryPolicy(VirtualService.Retries retries) {
        if (retries != null && retries.attempts() == 0) {
            return null;
        }
        RetryPolicy.Builder p = RetryPolicy.newBuilder()
                .setNumRetries(UInt32Value.of(retries == null ? DEFAULT_RETRY_ATTEMPTS : retries.attempts()))
                .addRetryHostPredicate(PREVIOUS_HOSTS)
                .setHostSelectionRetryMaxAttempts(HOST_SELECTION_RETRY_MAX_ATTEMPTS);
        String retryOn = retries == null || retries.retryOn() == null || retries.retryOn().isBlank()
                ? null : retries.retryOn();
        if (retryOn == null) {
            p.setRetryOn(DEFAULT_RETRY_ON).addRetriableStatusCodes(DEFAULT_RETRIABLE_STATUS);
        } else {
            Set<String> conditions = new LinkedHashSet<>();
            List<Integer> codes = new ArrayList<>();
            for (String part : retryOn.split(",")) {
                String c = part.trim();
                if (c.isEmpty()) {
                    continue;
                }
                if (c.chars().allMatch(Character::isDigit)) {
                    codes.add(Integer.parseInt(c));
                } else {
                    conditions.add(c);
                }
            }
            if (!codes.isEmpty()) {
                conditions.add("retriable-status-codes");
            }
            p.setRetryOn(String.join(",", conditions)).addAllRetriableStatusCodes(codes);
        }
        if (retries != null && retries.perTryTimeout() != null) {
            p.setPerTryTimeout(Protos.duration(retries.perTryTimeout()));
        }
        return p.build();
    }

    /**
     * A uri rewrite replaces what the match matched: the prefix (or the whole path for an exact match,
     * which Envoy's prefix_rewrite also handles); for a regex match, the whole path by a regex rewrite.
     */
    private static void rewrite(RouteAction.Builder a, VirtualService.Rewrite rw, StringMatch uri) {
        if (rw.uri() != null) {
            if (uri != null && uri.type() == StringMatch.Type.REGEX) {
                a.setRegexRewrite(RegexMatchAndSubstitute.newBuilder()
                        .setPattern(regex(uri.value()))
                        .setSubstitution(rw.uri()));
            } else {
                a.setPrefixRewrite(rw.uri());
            }
        }
        if (rw.authority() != null) {
            a.setHostRewriteLiteral(rw.authority());
        }
    }

    private static RedirectAction redirect(VirtualService.Redirect r) {
        RedirectAction.Builder b = RedirectAction.newBuilder();
        if (r.uri() != null) {
            b.setPathRedirect(r.uri());
        }
        if (r.authority() != null) {
            b.setHostRedirect(r.authority());
        }
        int code = r.redirectCode() == null ? 301 : r.redirectCode();
        b.setResponseCode(switch (code) {
            case 301 -> RedirectAction.RedirectResponseCode.MOVED_PERMANENTLY;
            case 302 -> RedirectAction.RedirectResponseCode.FOUND;
            case 303 -> RedirectAction.RedirectResponseCode.SEE_OTHER;
            case 307 -> RedirectAction.RedirectResponseCode.TEMPORARY_REDIRECT;
            case 308 -> RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT;
            default -> throw new IllegalArgumentException("redirectCode: " + code + " (expected: 301, 302, 303, 307 or 308)");
        });
        return b.build();
    }

    /** A consistent-hash rule needs the route to say what to hash. */
    private static void hashPolicy(RouteAction.Builder a, LoadBalancer lb) {
        ConsistentHash h = lb == null ? null : lb.consistentHash();
        if (h == null) {
            return;
        }
        RouteAction.HashPolicy.Builder p = RouteAction.HashPolicy.newBuilder();
        if (h.httpHeaderName() != null) {
            p.getHeaderBuilder().setHeaderName(h.httpHeaderName());
        } else if (h.httpCookie() != null) {
            var cookie = p.getCookieBuilder().setName(h.httpCookie().name());
            if (h.httpCookie().path() != null) {
                cookie.setPath(h.httpCookie().path());
            }
            if (h.httpCookie().ttl() != null) {
                cookie.setTtl(Protos.duration(h.httpCookie().ttl()));
            }
        } else if (h.useSourceIp()) {
            p.getConnectionPropertiesBuilder().setSourceIp(true);
        } else if (h.httpQueryParameterName() != null) {
            p.getQueryParameterBuilder().setName(h.httpQueryParameterName());
        } else {
            return;
        }
        a.addHashPolicy(p);
    }

    private static HTTPFault fault(VirtualService.Fault f) {
        HTTPFault.Builder b = HTTPFault.newBuilder();
        if (f.delay() != null) {
            b.setDelay(FaultDelay.newBuilder()
                    .setFixedDelay(Protos.duration(f.delay().fixedDelay()))
                    .setPercentage(Protos.fraction(f.delay().percentage())));
        }
        if (f.abort() != null) {
            FaultAbort.Builder a = FaultAbort.newBuilder().setPercentage(Protos.fraction(f.abort().percentage()));
            if (f.abort().grpcStatus() != null) {
                a.setGrpcStatus(grpcCode(f.abort().grpcStatus()));
            } else if (f.abort().httpStatus() != null) {
                a.setHttpStatus(f.abort().httpStatus());
            } else {
                throw new IllegalArgumentException("fault.abort: neither httpStatus nor grpcStatus"
                        + " (expected: exactly one)");
            }
            b.setAbort(a);
        }
        return b.build();
    }

    /** A gRPC status code from its name ({@code UNAVAILABLE}) or number ({@code 14}). */
    static int grpcCode(String status) {
        String s = status.trim();
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(s);
        }
        try {
            return io.grpc.Status.Code.valueOf(s.toUpperCase(java.util.Locale.ROOT)).value();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("grpcStatus: " + status
                    + " (expected: a gRPC status code name such as UNAVAILABLE, or its number)", e);
        }
    }

    private static void addHeaders(Route.Builder r, VirtualService.Headers h) {
        r.addAllRequestHeadersToAdd(headerOptions(h.request()))
                .addAllRequestHeadersToRemove(h.request().remove())
                .addAllResponseHeadersToAdd(headerOptions(h.response()))
                .addAllResponseHeadersToRemove(h.response().remove());
    }

    /** {@code set} overwrites, {@code add} appends; each sorted by header name. */
    private static List<HeaderValueOption> headerOptions(VirtualService.HeaderOperations ops) {
        List<HeaderValueOption> out = new ArrayList<>();
        new TreeMap<>(ops.set()).forEach((k, v) -> out.add(headerOption(k, v,
                HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)));
        new TreeMap<>(ops.add()).forEach((k, v) -> out.add(headerOption(k, v,
                HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD)));
        return out;
    }

    private static HeaderValueOption headerOption(String key, String value, HeaderValueOption.HeaderAppendAction action) {
        return HeaderValueOption.newBuilder()
                .setHeader(HeaderValue.newBuilder().setKey(key).setValue(value))
                .setAppendAction(action)
                .build();
    }
}
