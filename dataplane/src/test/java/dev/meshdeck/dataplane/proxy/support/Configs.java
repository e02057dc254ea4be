package dev.meshdeck.dataplane.proxy.support;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ListenerConfig;
import dev.meshdeck.dataplane.config.ProxyConfig;
import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.config.RouteMatch;
import dev.meshdeck.dataplane.config.RouteTable;
import dev.meshdeck.dataplane.config.VirtualHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds small proxy configs for tests: an outbound listener routing hosts to clusters, an inbound one to the app. */
public final class Configs {
    public static final String OUTBOUND = "outbound";
    public static final String INBOUND = "inbound";

    private final Map<String, ClusterConfig> clusters = new LinkedHashMap<>();
    private final List<VirtualHost> outboundHosts = new ArrayList<>();
    private String inboundCluster;
    private Duration idleTimeout;
    private dev.meshdeck.dataplane.config.TlsSettings.Listener inboundTls;
    private List<String> filters = List.of("envoy.filters.http.fault", "envoy.filters.http.router");

    public static Configs builder() {
        return new Configs();
    }

    public Configs cluster(String name, ClusterConfig.CircuitBreakers breakers, int... ports) {
        List<ClusterConfig.Endpoint> eps = new ArrayList<>();
        for (int p : ports) {
            eps.add(new ClusterConfig.Endpoint("127.0.0.1", p, 1));
        }
        clusters.put(name, new ClusterConfig(name, ClusterConfig.LbPolicy.ROUND_ROBIN, 0, Duration.ofSeconds(2),
                breakers, null, eps));
        return this;
    }

    public Configs cluster(ClusterConfig cluster) {
        clusters.put(cluster.name(), cluster);
        return this;
    }

    public Configs cluster(String name, int... ports) {
        return cluster(name, null, ports);
    }

    /** A virtual host {@code host} whose one route sends everything to {@code cluster}. */
    public Configs host(String host, String cluster) {
        return host(host, route(cluster, Duration.ZERO, null, null));
    }

    public Configs host(String host, Route... routes) {
        outboundHosts.add(new VirtualHost(host, List.of(host), List.of(routes)));
        return this;
    }

    public Configs inbound(String cluster) {
        this.inboundCluster = cluster;
        return this;
    }

    /** The listeners' idle timeout (unset: Envoy's hour). */
    public Configs idleTimeout(Duration timeout) {
        this.idleTimeout = timeout;
        return this;
    }

    /** The inbound listener's TLS filter chain. */
    public Configs inboundTls(dev.meshdeck.dataplane.config.TlsSettings.Listener tls) {
        this.inboundTls = tls;
        return this;
    }

    public Configs filters(List<String> names) {
        this.filters = names;
        return this;
    }

    public static Route route(String cluster, Duration timeout, Route.RetryPolicy retry, Route.Fault fault) {
        return route("/", cluster, timeout, retry, fault, null);
    }

    public static Route route(String prefix, String cluster, Duration timeout, Route.RetryPolicy retry,
                              Route.Fault fault, Route.HeaderOps requestHeaders) {
        return new Route("r-" + cluster + prefix, new RouteMatch(new RouteMatch.PathMatch(
                dev.meshdeck.dataplane.config.StringMatcher.of(dev.meshdeck.dataplane.config.StringMatcher.Kind.PREFIX,
                        prefix, false)), List.of(), List.of()),
                new Route.Action(List.of(new Route.WeightedCluster(cluster, 1)), timeout, retry, List.of(), List.of(),
                        null, null),
                null, fault, requestHeaders, null);
    }

    public ProxyConfig build() {
        Map<String, ListenerConfig> listeners = new LinkedHashMap<>();
        Map<String, RouteTable> routes = new LinkedHashMap<>();
        listeners.put(OUTBOUND, new ListenerConfig(OUTBOUND, "127.0.0.1", 0, ListenerConfig.Direction.OUTBOUND,
                "outbound-routes", filters, idleTimeout, null));
        routes.put("outbound-routes", new RouteTable("outbound-routes", outboundHosts));
        if (inboundCluster != null) {
            listeners.put(INBOUND, new ListenerConfig(INBOUND, "127.0.0.1", 0, ListenerConfig.Direction.INBOUND,
                    "inbound-routes", filters, idleTimeout, inboundTls));
            routes.put("inbound-routes", new RouteTable("inbound-routes", List.of(new VirtualHost("inbound",
                    List.of("*"), List.of(route(inboundCluster, Duration.ZERO, null, null))))));
        }
        return new ProxyConfig(listeners, routes, clusters, Map.of());
    }
}
