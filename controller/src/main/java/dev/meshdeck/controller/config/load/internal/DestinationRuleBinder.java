package dev.meshdeck.controller.config.load.internal;

import dev.meshdeck.controller.config.DestinationRule;
import dev.meshdeck.controller.config.DestinationRule.ConnectionPool;
import dev.meshdeck.controller.config.DestinationRule.ConsistentHash;
import dev.meshdeck.controller.config.DestinationRule.LoadBalancer;
import dev.meshdeck.controller.config.DestinationRule.OutlierDetection;
import dev.meshdeck.controller.config.DestinationRule.Subset;
import dev.meshdeck.controller.config.DestinationRule.Tls;
import dev.meshdeck.controller.config.DestinationRule.TrafficPolicy;
import dev.meshdeck.controller.config.DestinationRule.Warmup;
import dev.meshdeck.controller.config.Metadata;
import dev.meshdeck.controller.config.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a {@code DestinationRule}'s spec: host, traffic policy and subsets. */
final class DestinationRuleBinder {
    private static final int MAX_INT = Integer.MAX_VALUE;

    private final Binding b;

    DestinationRuleBinder(Binding b) {
        this.b = b;
    }

    DestinationRule bind(Metadata metadata, Source source, Fields spec) {
        int mark = b.errorCount();
        String host = spec.requiredString("host", "the service host the rule applies to, such as reviews");
        if (host != null) {
            String problem = Checks.host(host, true);
            if (problem != null) {
                spec.error("host", problem);
            }
        }
        TrafficPolicy trafficPolicy = spec.object("trafficPolicy", this::trafficPolicy);
        List<Subset> subsets = spec.list("subsets", this::subset);
        spec.finish("exportTo", "workloadSelector");
        if (subsets != null && !b.hasErrorsSince(mark)) {
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < subsets.size(); i++) {
                String path = Values.item(spec.pathOf("subsets"), i) + ".name";
                int line = b.lineOf(path, spec.lineOf("subsets"));
                Integer first = seen.putIfAbsent(subsets.get(i).name(), line);
                if (first != null) {
                    b.error(path, line, "duplicate subset name " + subsets.get(i).name()
                            + " (first at line " + first + "; expected: names unique within the rule)");
                }
            }
        }
        if (metadata == null || b.hasErrorsSince(mark)) {
            return null;
        }
        return new DestinationRule(metadata, source, host, trafficPolicy, subsets);
    }

    private Subset subset(String path, Node node) {
        Fields s = Fields.of(b, path, node);
        if (s == null) {
            return null;
        }
        int mark = b.errorCount();
        String name = s.requiredString("name", "the subset's name, such as v1");
        if (name != null) {
            String problem = Checks.dnsLabel(name);
            if (problem != null) {
                s.error("name", problem);
            }
        }
        Map<String, String> labels = s.stringMap("labels");
        TrafficPolicy trafficPolicy = s.object("trafficPolicy", this::trafficPolicy);
        s.finish();
        return b.hasErrorsSince(mark) ? null : new Subset(name, labels, trafficPolicy);
    }

    private TrafficPolicy trafficPolicy(String path, Node node) {
        Fields t = Fields.of(b, path, node);
        if (t == null) {
            return null;
        }
        int mark = b.errorCount();
        LoadBalancer loadBalancer = t.object("loadBalancer", this::loadBalancer);
        ConnectionPool connectionPool = t.object("connectionPool", this::connectionPool);
        OutlierDetection outlierDetection = t.object("outlierDetection", this::outlierDetection);
        Tls tls = t.object("tls", this::tls);
        t.finish("portLevelSettings", "tunnel", "proxyProtocol", "retryBudget");
        return b.hasErrorsSince(mark) ? null : new TrafficPolicy(loadBalancer, connectionPool, outlierDetection, tls);
    }

    /**
     * Istio's {@code LoadBalancerSettings}: {@code simple} or {@code consistentHash}, and a warm-up, written as
     * {@code warmup} or as the deprecated {@code warmupDurationSecs} ({@code warmup} wins when both are, as in
     * Istio's translation). A warm-up alone warms up the default balancer, round robin.
     */
    private LoadBalancer loadBalancer(String path, Node node) {
        Fields l = Fields.of(b, path, node);
        if (l == null) {
            return null;
        }
        int mark = b.errorCount();
        LoadBalancer.Simple simple = l.enumValue("simple", LoadBalancer.Simple.class,
                Map.of("LEAST_CONN", LoadBalancer.Simple.LEAST_REQUEST));
        ConsistentHash consistentHash = l.object("consistentHash", this::consistentHash);
        Duration warmupDurationSecs = l.positiveDuration("warmupDurationSecs");
        Warmup warmup = l.object("warmup", this::warmup);
        l.finish("localityLbSetting");
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        String warmupField = l.has("warmup") ? "warmup" : l.has("warmupDurationSecs") ? "warmupDurationSecs" : null;
        if (l.has("simple") && l.has("consistentHash")) {
            l.error("simple and consistentHash are both set (expected: one of them)");
        } else if (!l.has("simple") && !l.has("consistentHash") && warmupField == null) {
            l.error("empty (expected: simple, consistentHash or warmup)");
        } else if (warmupField != null && (consistentHash != null || simple == LoadBalancer.Simple.RANDOM
                || simple == LoadBalancer.Simple.PASSTHROUGH)) {
            l.error(warmupField, "set with " + (consistentHash != null ? "consistentHash" : "simple " + simple)
                    + " (expected: not set; warm-up applies to ROUND_ROBIN and LEAST_REQUEST only, as Envoy's"
                    + " slow start does)");
        }
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        if (warmup == null && warmupDurationSecs != null) {
            warmup = Warmup.of(warmupDurationSecs);
        }
        return new LoadBalancer(simple, consistentHash, warmup);
    }

    /**
     * Istio's {@code WarmupConfiguration}: {@code duration} (required), {@code minimumPercent} 0..100 and
     * {@code aggression}, with Istio's defaults 10 and 1.0.
     */
    private Warmup warmup(String path, Node node) {
        Fields w = Fields.of(b, path, node);
        if (w == null) {
            return null;
        }
        int mark = b.errorCount();
        Duration duration = w.positiveDuration("duration");
        if (!w.has("duration")) {
            w.missing("duration", "a duration such as 100s, how long a new endpoint warms up");
        }
        Double minimumPercent = w.number("minimumPercent", 0, 100);
        Double aggression = w.numberAbove("aggression", 0);
        w.finish();
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        return new Warmup(duration, minimumPercent != null ? minimumPercent : Warmup.DEFAULT_MINIMUM_PERCENT,
                aggression != null ? aggression : Warmup.DEFAULT_AGGRESSION);
    }

    /**
     * Istio's {@code ConsistentHashLB}: one hash key, then a ring hash ({@code ringHash: {minimumRingSize}},
     * or the deprecated {@code minimumRingSize}) or {@code maglev: {}}.
     */
    private ConsistentHash consistentHash(String path, Node node) {
        Fields c = Fields.of(b, path, node);
        if (c == null) {
            return null;
        }
        int mark = b.errorCount();
        String httpHeaderName = c.string("httpHeaderName");
        if (httpHeaderName != null) {
            String problem = Checks.headerName(httpHeaderName);
            if (problem != null) {
                c.error("httpHeaderName", problem);
            }
        }
        ConsistentHash.HttpCookie httpCookie = c.object("httpCookie", this::httpCookie);
        Boolean useSourceIp = c.bool("useSourceIp");
        String httpQueryParameterName = c.string("httpQueryParameterName");
        Long ringSize = c.object("ringHash", this::ringHash);
        Boolean maglev = c.object("maglev", this::maglev);
        Long minimumRingSize = c.longInteger("minimumRingSize", 1, Long.MAX_VALUE);
        c.finish();
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        List<String> keys = new ArrayList<>();
        for (String k : List.of("httpHeaderName", "httpCookie", "httpQueryParameterName")) {
            if (c.has(k)) {
                keys.add(k);
            }
        }
        if (Boolean.TRUE.equals(useSourceIp)) {
            keys.add("useSourceIp");
        }
        if (keys.size() != 1) {
            if (keys.isEmpty()) {
                c.error("missing hash key (expected: one of httpHeaderName, httpCookie, useSourceIp: true,"
                        + " httpQueryParameterName)");
            } else {
                c.error(keys.get(1), String.join(" and ", keys) + " are both set (expected: one hash key)");
            }
        }
        List<String> algorithms = new ArrayList<>();
        for (String k : List.of("ringHash", "maglev", "minimumRingSize")) {
            if (c.has(k)) {
                algorithms.add(k);
            }
        }
        if (algorithms.size() > 1) {
            c.error(algorithms.get(1), String.join(" and ", algorithms)
                    + " are both set (expected: one of ringHash, maglev; minimumRingSize is deprecated)");
        }
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        return new ConsistentHash(httpHeaderName, httpCookie, Boolean.TRUE.equals(useSourceIp),
                httpQueryParameterName, ringSize != null ? ringSize : minimumRingSize, Boolean.TRUE.equals(maglev));
    }

    private ConsistentHash.HttpCookie httpCookie(String path, Node node) {
        Fields h = Fields.of(b, path, node);
        if (h == null) {
            return null;
        }
        int mark = b.errorCount();
        String name = h.requiredString("name", "the cookie's name");
        String cookiePath = h.string("path");
        Duration ttl = h.duration("ttl");
        h.finish("attributes");
        return b.hasErrorsSince(mark) ? null : new ConsistentHash.HttpCookie(name, cookiePath, ttl);
    }

    /** {@code ringHash: {minimumRingSize: 1024}}; an empty ring hash keeps the size unset (Istio's 1024). */
    private Long ringHash(String path, Node node) {
        Fields r = Fields.of(b, path, node);
        if (r == null) {
            return null;
        }
        Long size = r.longInteger("minimumRingSize", 1, Long.MAX_VALUE);
        r.finish();
        return size;
    }

    /** {@code maglev: {}}: Maglev with Envoy's default table size. */
    private Boolean maglev(String path, Node node) {
        Fields m = Fields.of(b, path, node);
        if (m == null) {
            return null;
        }
        m.finish("tableSize");
        return Boolean.TRUE;
    }

    private ConnectionPool connectionPool(String path, Node node) {
        Fields c = Fields.of(b, path, node);
        if (c == null) {
            return null;
        }
        int mark = b.errorCount();
        ConnectionPool.Tcp tcp = c.object("tcp", (p, n) -> {
            Fields t = Fields.of(b, p, n);
            if (t == null) {
                return null;
            }
            int m = b.errorCount();
            Integer maxConnections = t.integer("maxConnections", 0, MAX_INT);
            Duration connectTimeout = t.duration("connectTimeout");
            t.finish("tcpKeepalive", "maxConnectionDuration", "idleTimeout");
            return b.hasErrorsSince(m) ? null : new ConnectionPool.Tcp(maxConnections, connectTimeout);
        });
        ConnectionPool.Http http = c.object("http", (p, n) -> {
            Fields h = Fields.of(b, p, n);
            if (h == null) {
                return null;
            }
            int m = b.errorCount();
            Integer http1MaxPendingRequests = h.integer("http1MaxPendingRequests", 0, MAX_INT);
            Integer http2MaxRequests = h.integer("http2MaxRequests", 0, MAX_INT);
            Integer maxRequestsPerConnection = h.integer("maxRequestsPerConnection", 0, MAX_INT);
            Integer maxRetries = h.integer("maxRetries", 0, MAX_INT);
            Duration idleTimeout = h.duration("idleTimeout");
            Integer maxConcurrentStreams = h.integer("maxConcurrentStreams", 0, MAX_INT);
            h.finish("h2UpgradePolicy", "useClientProtocol");
            return b.hasErrorsSince(m) ? null : new ConnectionPool.Http(http1MaxPendingRequests, http2MaxRequests,
                    maxRequestsPerConnection, maxRetries, idleTimeout, maxConcurrentStreams);
        });
        c.finish();
        return b.hasErrorsSince(mark) ? null : new ConnectionPool(tcp, http);
    }

    private OutlierDetection outlierDetection(String path, Node node) {
        Fields o = Fields.of(b, path, node);
        if (o == null) {
            return null;
        }
        int mark = b.errorCount();
        Integer consecutive5xxErrors = o.integer("consecutive5xxErrors", 0, MAX_INT);
        Integer consecutiveErrors = o.integer("consecutiveErrors", 0, MAX_INT);
        Integer consecutiveGatewayErrors = o.integer("consecutiveGatewayErrors", 0, MAX_INT);
        Duration interval = o.duration("interval");
        Duration baseEjectionTime = o.duration("baseEjectionTime");
        Integer maxEjectionPercent = o.integer("maxEjectionPercent", 0, 100);
        Integer minHealthPercent = o.integer("minHealthPercent", 0, 100);
        o.finish("splitExternalLocalOriginErrors", "consecutiveLocalOriginFailures");
        if (o.has("consecutive5xxErrors") && o.has("consecutiveErrors")) {
            o.error("consecutiveErrors", "consecutiveErrors and consecutive5xxErrors are both set (expected:"
                    + " consecutive5xxErrors; consecutiveErrors is deprecated)");
        }
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        return new OutlierDetection(consecutive5xxErrors != null ? consecutive5xxErrors : consecutiveErrors,
                consecutiveGatewayErrors, interval, baseEjectionTime, maxEjectionPercent, minHealthPercent);
    }

    private Tls tls(String path, Node node) {
        Fields t = Fields.of(b, path, node);
        if (t == null) {
            return null;
        }
        int mark = b.errorCount();
        Tls.Mode mode = t.enumValue("mode", Tls.Mode.class);
        String clientCertificate = t.string("clientCertificate");
        String privateKey = t.string("privateKey");
        String caCertificates = t.string("caCertificates");
        List<String> subjectAltNames = t.strings("subjectAltNames");
        String sni = t.string("sni");
        Boolean insecureSkipVerify = t.bool("insecureSkipVerify");
        t.finish("credentialName", "caCrl");
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        Tls.Mode m = mode == null ? Tls.Mode.DISABLE : mode;
        if (m == Tls.Mode.MUTUAL) {
            for (String required : List.of("clientCertificate", "privateKey")) {
                if (!t.has(required)) {
                    t.missing(required, "a file path; MUTUAL needs a client certificate and its private key");
                }
            }
        }
        if (m == Tls.Mode.ISTIO_MUTUAL) {
            for (String forbidden : List.of("clientCertificate", "privateKey", "caCertificates")) {
                if (t.has(forbidden)) {
                    t.error(forbidden, "set with mode ISTIO_MUTUAL (expected: not set; the mesh's CA issues"
                            + " the certificates)");
                }
            }
        }
        if (b.hasErrorsSince(mark)) {
            return null;
        }
        return new Tls(m, clientCertificate, privateKey, caCertificates, subjectAltNames, sni,
                Boolean.TRUE.equals(insecureSkipVerify));
    }
}
