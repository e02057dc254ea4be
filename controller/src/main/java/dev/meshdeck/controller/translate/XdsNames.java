package dev.meshdeck.controller.translate;

/**
 * The names the controller gives xDS resources and filters (see
 * {@code docs/decisions/0001-xds-resource-naming.md}); the xDS server, the sidecar and tests share them.
 */
public final class XdsNames {
    /** The sidecar's outbound listener, and the route config every outbound request is routed by. */
    public static final String OUTBOUND = "outbound";
    /** The sidecar's inbound listener. */
    public static final String INBOUND = "inbound";

    public static final String HTTP_CONNECTION_MANAGER = "envoy.filters.network.http_connection_manager";
    public static final String FAULT_FILTER = "envoy.filters.http.fault";
    public static final String ROUTER_FILTER = "envoy.filters.http.router";
    public static final String TLS_TRANSPORT_SOCKET = "envoy.transport_sockets.tls";
    public static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";
    /** The inbound listener's filter chain for mutual TLS from other sidecars. */
    public static final String INBOUND_TLS_CHAIN = "inbound-tls";
    /** The inbound listener's filter chain for plain text, beside the TLS one in PERMISSIVE mode. */
    public static final String INBOUND_PLAINTEXT_CHAIN = "inbound-plaintext";
    /** ALPN names (RFC 7301). */
    public static final String ALPN_H2 = "h2";
    public static final String ALPN_HTTP11 = "http/1.1";
    public static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
    public static final String PREVIOUS_HOSTS_PREDICATE = "envoy.retry_host_predicates.previous_hosts";

    /** The SDS secret holding the proxy's own certificate and key (as in Istio). */
    public static final String SDS_WORKLOAD_CERT = "default";
    /** The SDS secret holding the mesh CA's root certificate (as in Istio). */
    public static final String SDS_ROOT_CA = "ROOTCA";

    /** The filter-metadata namespace naming the config a resource came from (as in Istio). */
    public static final String METADATA_NAMESPACE = "istio";

    private XdsNames() {
    }

    /** {@code outbound|<port>|<subset>|<host>}; {@code subset} is empty or {@code null} for the whole service. */
    public static String outboundCluster(int port, String subset, String host) {
        return "outbound|" + port + "|" + (subset == null ? "" : subset) + "|" + host;
    }

    /** {@code inbound|<appPort>||}: the sidecar's local app. */
    public static String inboundCluster(int appPort) {
        return "inbound|" + appPort + "||";
    }

    /** {@code inbound|<appPort>}: the route config of the sidecar's inbound listener. */
    public static String inboundRoute(int appPort) {
        return "inbound|" + appPort;
    }

    /** The TLS server name a client sends to a cluster's endpoints, as Istio writes it. */
    public static String outboundSni(int port, String subset, String host) {
        return "outbound_." + port + "_." + (subset == null ? "" : subset) + "_." + host;
    }
}
