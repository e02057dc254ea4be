package dev.meshdeck.dataplane.xds.internal;

/**
 * The full names of the message types the sidecar finds packed in {@code Any}s (extension configs), as their
 * type URLs name them. The lite classes carry no descriptors, so the names are spelled out here.
 */
public final class TypeNames {
    public static final String HTTP_CONNECTION_MANAGER =
            "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
    public static final String ROUTER = "envoy.extensions.filters.http.router.v3.Router";
    public static final String HTTP_FAULT = "envoy.extensions.filters.http.fault.v3.HTTPFault";
    public static final String PREVIOUS_HOSTS = "envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate";
    public static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
    public static final String UPSTREAM_TLS_CONTEXT = "envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext";
    public static final String DOWNSTREAM_TLS_CONTEXT = "envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext";
    public static final String RAW_BUFFER = "envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer";
    public static final String TLS_INSPECTOR = "envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector";

    private TypeNames() {
    }
}
