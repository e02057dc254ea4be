package dev.meshdeck.dataplane.xds.internal;

import dev.meshdeck.dataplane.xds.proto.google.protobuf.Any;
import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.config.Route.Action;
import dev.meshdeck.dataplane.config.Route.Fault;
import dev.meshdeck.dataplane.config.Route.HashPolicy;
import dev.meshdeck.dataplane.config.Route.HeaderOps;
import dev.meshdeck.dataplane.config.Route.Mirror;
import dev.meshdeck.dataplane.config.Route.Redirect;
import dev.meshdeck.dataplane.config.Route.RetryPolicy;
import dev.meshdeck.dataplane.config.Route.WeightedCluster;
import dev.meshdeck.dataplane.config.RouteMatch;
import dev.meshdeck.dataplane.config.RouteTable;
import dev.meshdeck.dataplane.config.StringMatcher;
import dev.meshdeck.dataplane.config.VirtualHost;
import dev.meshdeck.dataplane.xds.XdsConfigException;
import dev.meshdeck.dataplane.xds.proto.envoy.config.core.v3.HeaderValueOption;
import dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.RedirectAction;
import dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.RouteAction;
import dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.RouteConfiguration;
import dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.WeightedCluster.ClusterWeight;
import dev.meshdeck.dataplane.xds.proto.envoy.extensions.filters.http.fault.v3.HTTPFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** An RDS {@code RouteConfiguration} into a {@link RouteTable}. */
public final class RouteReader {
    /** Envoy's default route timeout when {@code timeout} is not set. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    static final Set<String> RETRY_ON = Set.of("5xx", "gateway-error", "reset", "reset-before-request",
            "connect-failure", "envoy-ratelimited", "retriable-4xx", "refused-stream", "retriable-status-codes",
            "retriable-headers", "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal",
            "resource-exhausted", "unavailable");

    private RouteReader() {
    }

    public static RouteTable read(RouteConfiguration rc) {
        String where = "route config " + rc.getName();
        if (rc.getName().isEmpty()) {
            throw new XdsConfigException("route config: empty name (expected: a name)");
        }
        if (rc.getRequestHeadersToAddCount() > 0 || rc.getRequestHeadersToRemoveCount() > 0
                || rc.getResponseHeadersToAddCount() > 0 || rc.getResponseHeadersToRemoveCount() > 0) {
            throw new XdsConfigException(where + ": header changes on the route config are not supported "
                    + "(expected: request/response headers on routes)");
        }
        if (rc.hasVhds()) {
            throw new XdsConfigException(where + ".vhds: not supported (expected: inline virtual_hosts)");
        }
        if (rc.getTypedPerFilterConfigCount() > 0) {
            throw new XdsConfigException(where + ".typed_per_filter_config: not supported (expected: per route)");
        }
        List<VirtualHost> hosts = new ArrayList<>();
        Set<String> domains = new java.util.HashSet<>();
        for (dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.VirtualHost vh : rc.getVirtualHostsList()) {
            String vhWhere = where + ", virtual host " + vh.getName();
            VirtualHost host = virtualHost(vh, vhWhere);
            for (String d : host.domains()) {
                if (!domains.add(d.toLowerCase(Locale.ROOT))) {
                    throw new XdsConfigException(vhWhere + ".domains: '" + d
                            + "' is already used by another virtual host (expected: unique domains)");
                }
            }
            hosts.add(host);
        }
        return new RouteTable(rc.getName(), hosts);
    }

    private static VirtualHost virtualHost(dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.VirtualHost vh, String where) {
        if (vh.getDomainsCount() == 0) {
            throw new XdsConfigException(where + ".domains: empty (expected: at least one)");
        }
        if (vh.getRequireTlsValue() != 0) {
            throw new XdsConfigException(where + ".require_tls: " + vh.getRequireTls() + " (expected: NONE)");
        }
        if (vh.getRequestHeadersToAddCount() > 0 || vh.getRequestHeadersToRemoveCount() > 0
                || vh.getResponseHeadersToAddCount() > 0 || vh.getResponseHeadersToRemoveCount() > 0) {
            throw new XdsConfigException(where + ": header changes on the virtual host are not supported "
                    + "(expected: request/response headers on routes)");
        }
        if (vh.hasHedgePolicy() || vh.getRateLimitsCount() > 0 || vh.hasCors()) {
            throw new XdsConfigException(where + ": hedge_policy, rate_limits and cors are not supported (expected: unset)");
        }
        // The virtual host's retry policy and fault settings apply to its routes that set none.
        dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.RetryPolicy vhRetry = vh.hasRetryPolicy() ? vh.getRetryPolicy() : null;
        Fault vhFault = perFilterFault(vh.getTypedPerFilterConfigMap(), where + ".typed_per_filter_config");
        List<Route> routes = new ArrayList<>();
        int i = 0;
        for (dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.Route r : vh.getRoutesList()) {
            String name = r.getName().isEmpty() ? "#" + i : r.getName();
            try {
                routes.add(route(r, name, vhRetry, vhFault));
            } catch (XdsConfigException e) {
                throw e.within(where + ", route " + name);
            } catch (IllegalArgumentException e) {
                throw new XdsConfigException(where + ", route " + name + ": " + e.getMessage());
            }
            i++;
        }
        return new VirtualHost(vh.getName(), vh.getDomainsList(), routes);
    }

    private static Route route(dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.Route r, String name,
                               dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.RetryPolicy vhRetry, Fault vhFault) {
        RouteMatch match = match(r.getMatch());
        Action action = null;
        Redirect redirect = null;
        switch (r.getActionCase()) {
            case ROUTE -> action = action(r.getRoute(), vhRetry);
            case REDIRECT -> redirect = redirect(r.getRedirect());
            default -> throw new XdsConfigException(r.getActionCase().name().toLowerCase(Locale.ROOT)
                    + ": not supported (expected: route or redirect)");
        }
        if (r.hasDecorator() || r.hasTracing()) {
            throw new XdsConfigException("decorator/tracing: not supported (expected: unset)");
        }
        Fault fault = perFilterFault(r.getTypedPerFilterConfigMap(), "typed_per_filter_config");
        HeaderOps requestOps = headerOps(r.getRequestHeadersToAddList(), r.getRequestHeadersToRemoveList(),
                "request_headers_to_add");
        HeaderOps responseOps = headerOps(r.getResponseHeadersToAddList(), r.getResponseHeadersToRemoveList(),
                "response_headers_to_add");
        return new Route(name, match, action, redirect, fault != null ? fault : vhFault, requestOps, responseOps);
    }

    private static Fault perFilterFault(Map<String, Any> configs, String field) {
        Fault fault = null;
        for (Map.Entry<String, Any> e : configs.entrySet()) {
            String f = field + "[" + e.getKey() + "]";
            if (!e.getKey().equals(FaultReader.NAME)) {
                throw new XdsConfigException(f + ": not supported (expected: " + FaultReader.NAME + ")");
            }
            fault = FaultReader.read(ProtoValues.unpack(e.getValue(), TypeNames.HTTP_FAULT, HTTPFault.parser(), f), f);
        }
        return fault;
    }

    static RouteMatch match(dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.RouteMatch m) {
        boolean ignoreCase = m.hasCaseSensitive() && !m.getCaseSensitive().getValue();
        StringMatcher path = switch (m.getPathSpecifierCase()) {
            case PREFIX -> StringMatcher.of(StringMatcher.Kind.PREFIX, m.getPrefix().isEmpty() ? "/" : m.getPrefix(),
                    ignoreCase);
            case PATH -> StringMatcher.of(StringMatcher.Kind.EXACT, m.getPath(), ignoreCase);
            case SAFE_REGEX -> MatcherReader.regex(m.getSafeRegex(), false, "match.safe_regex");
            case PATHSPECIFIER_NOT_SET -> throw new XdsConfigException("match: no path specifier "
                    + "(expected: prefix, path or safe_regex)");
            default -> throw new XdsConfigException("match." + m.getPathSpecifierCase().name().toLowerCase(Locale.ROOT)
                    + ": not supported (expected: prefix, path or safe_regex)");
        };
        if (m.hasRuntimeFraction() || m.hasGrpc() || m.hasTlsContext() || m.getDynamicMetadataCount() > 0
                || m.getFilterStateCount() > 0) {
            throw new XdsConfigException("match: runtime_fraction, grpc, tls_context, dynamic_metadata and "
                    + "filter_state are not supported (expected: path, headers and query_parameters)");
        }
        List<RouteMatch.HeaderMatch> headers = new ArrayList<>();
        m.getHeadersList().forEach(h -> headers.add(MatcherReader.header(h, "match.headers")));
        List<RouteMatch.QueryMatch> query = new ArrayList<>();
        m.getQueryParametersList().forEach(q -> query.add(MatcherReader.query(q, "match.query_parameters")));
        return new RouteMatch(new RouteMatch.PathMatch(path), headers, query);
    }

    private static Action action(RouteAction a, dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.RetryPolicy vhRetry) {
        List<WeightedCluster> clusters = new ArrayList<>();
        switch (a.getClusterSpecifierCase()) {
            case CLUSTER -> clusters.add(new WeightedCluster(a.getCluster(), 1));
            case WEIGHTED_CLUSTERS -> {
                var wc = a.getWeightedClusters();
                if (!wc.getRuntimeKeyPrefix().isEmpty() || !wc.getHeaderName().isEmpty()) {
                    throw new XdsConfigException("route.weighted_clusters: runtime_key_prefix and header_name are "
                            + "not supported (expected: clusters with weights)");
                }
                for (ClusterWeight cw : wc.getClustersList()) {
                    String f = "route.weighted_clusters.clusters[" + cw.getName() + "]";
                    if (cw.getName().isEmpty()) {
                        throw new XdsConfigException("route.weighted_clusters.clusters: a cluster without a name "
                                + "(expected: name; cluster_header is not supported)");
                    }
                    if (cw.hasMetadataMatch() || cw.getTypedPerFilterConfigCount() > 0
                            || cw.getRequestHeadersToAddCount() > 0 || cw.getRequestHeadersToRemoveCount() > 0
                            || cw.getResponseHeadersToAddCount() > 0 || cw.getResponseHeadersToRemoveCount() > 0) {
                        throw new XdsConfigException(f + ": only name and weight are supported (expected: no "
                                + "metadata_match, typed_per_filter_config or header changes per cluster)");
                    }
                    clusters.add(new WeightedCluster(cw.getName(), ProtoValues.clampedUint32(cw.getWeight().getValue())));
                }
                if (clusters.isEmpty()) {
                    throw new XdsConfigException("route.weighted_clusters.clusters: empty (expected: at least one)");
                }
                if (clusters.stream().mapToLong(WeightedCluster::weight).sum() == 0) {
                    throw new XdsConfigException("route.weighted_clusters: total weight 0 (expected: more than 0)");
                }
            }
            default -> throw new XdsConfigException("route." + a.getClusterSpecifierCase().name().toLowerCase(Locale.ROOT)
                    + ": not supported (expected: cluster or weighted_clusters)");
        }
        if (a.hasMetadataMatch()) {
            throw new XdsConfigException("route.metadata_match: not supported (expected: a cluster per subset)");
        }
        if (a.hasRegexRewrite() || a.hasPathRewritePolicy()) {
            throw new XdsConfigException("route.regex_rewrite/path_rewrite_policy: not supported (expected: prefix_rewrite)");
        }
        if (a.getHostRewriteSpecifierCase() != RouteAction.HostRewriteSpecifierCase.HOST_REWRITE_LITERAL
                && a.getHostRewriteSpecifierCase() != RouteAction.HostRewriteSpecifierCase.HOSTREWRITESPECIFIER_NOT_SET) {
            throw new XdsConfigException("route." + a.getHostRewriteSpecifierCase().name().toLowerCase(Locale.ROOT)
                    + ": not supported (expected: host_rewrite_literal)");
        }
        if (a.hasIdleTimeout() || a.hasMaxStreamDuration() || a.hasHedgePolicy() || a.getRateLimitsCount() > 0
                || a.getUpgradeConfigsCount() > 0 || a.hasCors()) {
            throw new XdsConfigException("route: idle_timeout, max_stream_duration, hedge_policy, rate_limits, "
                    + "upgrade_configs and cors are not supported (expected: unset)");
        }
        Duration timeout = a.hasTimeout() ? ProtoValues.duration(a.getTimeout(), "route.timeout") : DEFAULT_TIMEOUT;
        RetryPolicy retry = a.hasRetryPolicy() ? retry(a.getRetryPolicy(), "route.retry_policy")
                : vhRetry != null ? retry(vhRetry, "virtual host retry_policy") : null;
        List<Mirror> mirrors = new ArrayList<>();
        for (RouteAction.RequestMirrorPolicy m : a.getRequestMirrorPoliciesList()) {
            String f = "route.request_mirror_policies[" + m.getCluster() + "]";
            if (m.getCluster().isEmpty()) {
                throw new XdsConfigException("route.request_mirror_policies: no cluster (expected: cluster; "
                        + "cluster_header is not supported)");
            }
            double fraction = m.hasRuntimeFraction()
                    ? ProtoValues.fraction(m.getRuntimeFraction().getDefaultValue(), f + ".runtime_fraction.default_value")
                    : 1.0;
            mirrors.add(new Mirror(m.getCluster(), fraction));
        }
        List<HashPolicy> hashes = new ArrayList<>();
        for (RouteAction.HashPolicy h : a.getHashPolicyList()) {
            hashes.add(switch (h.getPolicySpecifierCase()) {
                case HEADER -> {
                    if (h.getHeader().hasRegexRewrite()) {
                        throw new XdsConfigException("route.hash_policy.header.regex_rewrite: not supported (expected: unset)");
                    }
                    yield new HashPolicy(HashPolicy.Kind.HEADER, h.getHeader().getHeaderName().toLowerCase(Locale.ROOT));
                }
                case COOKIE -> {
                    if (h.getCookie().hasTtl()) {
                        throw new XdsConfigException("route.hash_policy.cookie.ttl: generating cookies is not "
                                + "supported (expected: unset)");
                    }
                    yield new HashPolicy(HashPolicy.Kind.COOKIE, h.getCookie().getName());
                }
                case CONNECTION_PROPERTIES -> {
                    if (!h.getConnectionProperties().getSourceIp()) {
                        throw new XdsConfigException("route.hash_policy.connection_properties.source_ip: false "
                                + "(expected: true)");
                    }
                    yield new HashPolicy(HashPolicy.Kind.SOURCE_IP, null);
                }
                case QUERY_PARAMETER -> new HashPolicy(HashPolicy.Kind.QUERY_PARAMETER, h.getQueryParameter().getName());
                default -> throw new XdsConfigException("route.hash_policy." + h.getPolicySpecifierCase().name()
                        .toLowerCase(Locale.ROOT) + ": not supported (expected: header, cookie, "
                        + "connection_properties or query_parameter)");
            });
        }
        String prefixRewrite = a.getPrefixRewrite().isEmpty() ? null : a.getPrefixRewrite();
        String hostRewrite = a.getHostRewriteLiteral().isEmpty() ? null : a.getHostRewriteLiteral();
        return new Action(clusters, timeout, retry, mirrors, hashes, prefixRewrite, hostRewrite);
    }

    static RetryPolicy retry(dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.RetryPolicy p, String field) {
        List<String> on = new ArrayList<>();
        for (String s : p.getRetryOn().split(",")) {
            String t = s.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (!RETRY_ON.contains(t)) {
                throw new XdsConfigException(field + ".retry_on: '" + t + "' (expected one of: "
                        + new java.util.TreeSet<>(RETRY_ON) + ")");
            }
            on.add(t);
        }
        if (p.hasRetryPriority() || p.getRetriableHeadersCount() > 0 || p.getRetriableRequestHeadersCount() > 0
                || p.hasRateLimitedRetryBackOff() || p.getRetryOptionsPredicatesCount() > 0) {
            throw new XdsConfigException(field + ": retry_priority, retriable_headers, retriable_request_headers, "
                    + "rate_limited_retry_back_off and retry_options_predicates are not supported (expected: unset)");
        }
        for (var predicate : p.getRetryHostPredicateList()) {
            // previous_hosts is what our retries do anyway: a retry picks another endpoint when there is one.
            boolean previousHosts = predicate.getName().equals("envoy.retry_host_predicates.previous_hosts")
                    || ProtoValues.is(predicate.getTypedConfig(), TypeNames.PREVIOUS_HOSTS);
            if (!previousHosts) {
                throw new XdsConfigException(field + ".retry_host_predicate[" + predicate.getName()
                        + "]: not supported (expected: envoy.retry_host_predicates.previous_hosts)");
            }
        }
        int numRetries = p.hasNumRetries() ? ProtoValues.clampedUint32(p.getNumRetries().getValue()) : 1;
        List<Integer> codes = new ArrayList<>();
        for (int c : p.getRetriableStatusCodesList()) {
            if (c < 100 || c > 599) {
                throw new XdsConfigException(field + ".retriable_status_codes: " + c + " (expected: 100..599)");
            }
            codes.add(c);
        }
        Duration perTry = p.hasPerTryTimeout() ? ProtoValues.duration(p.getPerTryTimeout(), field + ".per_try_timeout") : null;
        if (p.hasPerTryIdleTimeout()) {
            throw new XdsConfigException(field + ".per_try_idle_timeout: not supported (expected: per_try_timeout)");
        }
        Duration base = null;
        Duration max = null;
        if (p.hasRetryBackOff()) {
            var b = p.getRetryBackOff();
            base = ProtoValues.duration(b.getBaseInterval(), field + ".retry_back_off.base_interval");
            if (base.isZero()) {
                throw new XdsConfigException(field + ".retry_back_off.base_interval: 0s (expected: more than 0)");
            }
            if (b.hasMaxInterval()) {
                max = ProtoValues.duration(b.getMaxInterval(), field + ".retry_back_off.max_interval");
                if (max.compareTo(base) < 0) {
                    throw new XdsConfigException(field + ".retry_back_off.max_interval: " + max
                            + " (expected: at least base_interval " + base + ")");
                }
            }
        }
        return new RetryPolicy(numRetries, on, codes, perTry, base, max);
    }

    private static Redirect redirect(RedirectAction r) {
        if (r.getSchemeRewriteSpecifierCase() != RedirectAction.SchemeRewriteSpecifierCase.SCHEMEREWRITESPECIFIER_NOT_SET
                || r.getPortRedirect() != 0 || r.getStripQuery()
                || (r.getPathRewriteSpecifierCase() != RedirectAction.PathRewriteSpecifierCase.PATH_REDIRECT
                && r.getPathRewriteSpecifierCase() != RedirectAction.PathRewriteSpecifierCase.PATHREWRITESPECIFIER_NOT_SET)) {
            throw new XdsConfigException("redirect: only host_redirect, path_redirect and response_code are supported "
                    + "(expected: no scheme, port, prefix/regex rewrite or strip_query)");
        }
        int status = switch (r.getResponseCode()) {
            case MOVED_PERMANENTLY -> 301;
            case FOUND -> 302;
            case SEE_OTHER -> 303;
            case TEMPORARY_REDIRECT -> 307;
            case PERMANENT_REDIRECT -> 308;
            case UNRECOGNIZED -> throw new XdsConfigException("redirect.response_code: " + r.getResponseCodeValue()
                    + " (expected: MOVED_PERMANENTLY, FOUND, SEE_OTHER, TEMPORARY_REDIRECT or PERMANENT_REDIRECT)");
        };
        return new Redirect(status, r.getHostRedirect().isEmpty() ? null : r.getHostRedirect(),
                r.getPathRedirect().isEmpty() ? null : r.getPathRedirect());
    }

    static HeaderOps headerOps(List<HeaderValueOption> add, List<String> remove, String field) {
        Map<String, String> set = new LinkedHashMap<>();
        Map<String, String> append = new LinkedHashMap<>();
        for (HeaderValueOption o : add) {
            String name = o.getHeader().getKey().toLowerCase(Locale.ROOT);
            String f = field + "[" + name + "]";
            if (name.isEmpty()) {
                throw new XdsConfigException(field + ": a header without a key (expected: key and value)");
            }
            String value = !o.getHeader().getRawValue().isEmpty()
                    ? o.getHeader().getRawValue().toStringUtf8() : o.getHeader().getValue();
            boolean appending;
            if (o.hasAppend()) {
                appending = o.getAppend().getValue();
            } else {
                appending = switch (o.getAppendAction()) {
                    case APPEND_IF_EXISTS_OR_ADD -> true;
                    case OVERWRITE_IF_EXISTS_OR_ADD -> false;
                    default -> throw new XdsConfigException(f + ".append_action: " + o.getAppendAction()
                            + " (expected: APPEND_IF_EXISTS_OR_ADD or OVERWRITE_IF_EXISTS_OR_ADD)");
                };
            }
            if (o.getKeepEmptyValue()) {
                throw new XdsConfigException(f + ".keep_empty_value: not supported (expected: false)");
            }
            (appending ? append : set).put(name, value);
        }
        return new HeaderOps(set, append, remove.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
    }
}
