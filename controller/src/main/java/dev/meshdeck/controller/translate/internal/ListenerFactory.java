package dev.meshdeck.controller.translate.internal;

import dev.meshdeck.controller.translate.InboundTls;
import dev.meshdeck.controller.translate.XdsNames;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;

/**
 * LDS: a sidecar's {@code outbound} listener (loopback, fault then router, route config {@code outbound})
 * and {@code inbound} listener (router only, route config {@code inbound|<appPort>}; plain text, or mutual
 * TLS beside plain text); a proxyless gRPC client's API listeners (fault then router, route config
 * {@code outbound}).
 */
final class ListenerFactory {
    private static final HttpFilter FAULT = HttpFilter.newBuilder()
            .setName(XdsNames.FAULT_FILTER)
            .setTypedConfig(Protos.any(HTTPFault.getDefaultInstance()))
            .build();
    private static final HttpFilter ROUTER = HttpFilter.newBuilder()
            .setName(XdsNames.ROUTER_FILTER)
            .setTypedConfig(Protos.any(Router.getDefaultInstance()))
            .build();

    private static final ListenerFilter TLS_INSPECTOR = ListenerFilter.newBuilder()
            .setName(XdsNames.TLS_INSPECTOR)
            .setTypedConfig(Protos.any(TlsInspector.getDefaultInstance()))
            .build();

    private ListenerFactory() {
    }

    /**
     * Where the app sends its outbound requests (as an HTTP proxy or by host): loopback only. The port is
     * stripped from the Host before matching virtual hosts.
     */
    static Listener outbound(int port) {
        HttpConnectionManager hcm = hcm("outbound", XdsNames.OUTBOUND)
                .setStripAnyHostPort(true)
                .addHttpFilters(FAULT)
                .addHttpFilters(ROUTER)
                .build();
        return Listener.newBuilder()
                .setName(XdsNames.OUTBOUND)
                .setAddress(Protos.socket("127.0.0.1", port))
                .setTrafficDirection(TrafficDirection.OUTBOUND)
                .addFilterChains(chain(hcm))
                .build();
    }

    /**
     * Where other sidecars reach the workload: bound to the address the proxy reported as its own (so a
     * mesh on loopback stays on loopback), forwarding to the local app. With {@link InboundTls#PERMISSIVE}
     * a TLS inspector sends TLS to a mutual-TLS chain and the rest to a plain-text chain, both with the
     * same connection manager (as Istio's inbound listener in PERMISSIVE mode).
     */
    static Listener inbound(String address, int port, int appPort, InboundTls tls) {
        HttpConnectionManager hcm = hcm("inbound_" + appPort, XdsNames.inboundRoute(appPort))
                .addHttpFilters(ROUTER)
                .build();
        Listener.Builder l = Listener.newBuilder()
                .setName(XdsNames.INBOUND)
                .setAddress(Protos.socket(address, port))
                .setTrafficDirection(TrafficDirection.INBOUND);
        switch (tls) {
            case PLAINTEXT -> l.addFilterChains(chain(hcm));
            case PERMISSIVE -> l.addListenerFilters(TLS_INSPECTOR)
                    .addFilterChains(chain(hcm).toBuilder()
                            .setName(XdsNames.INBOUND_TLS_CHAIN)
                            .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("tls"))
                            .setTransportSocket(TlsContexts.downstreamIstioMutual()))
                    .addFilterChains(chain(hcm).toBuilder()
                            .setName(XdsNames.INBOUND_PLAINTEXT_CHAIN)
                            .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("raw_buffer")));
        }
        return l.build();
    }

    /**
     * An API listener for a gRPC target name. grpc-xds wants RDS over ADS and the router as the last filter;
     * it runs the fault filter itself (gRFC A33), so a route's fault reaches proxyless clients too.
     */
    static Listener api(String name) {
        HttpConnectionManager hcm = hcm("outbound", XdsNames.OUTBOUND)
                .addHttpFilters(FAULT)
                .addHttpFilters(ROUTER)
                .build();
        return Listener.newBuilder()
                .setName(name)
                .setApiListener(ApiListener.newBuilder().setApiListener(Protos.any(hcm)))
                .build();
    }

    private static HttpConnectionManager.Builder hcm(String statPrefix, String routeConfig) {
        return HttpConnectionManager.newBuilder()
                .setStatPrefix(statPrefix)
                .setCodecType(HttpConnectionManager.CodecType.AUTO)
                .setRds(Rds.newBuilder().setConfigSource(Protos.ADS).setRouteConfigName(routeConfig));
    }

    private static FilterChain chain(HttpConnectionManager hcm) {
        return FilterChain.newBuilder()
                .addFilters(Filter.newBuilder()
                        .setName(XdsNames.HTTP_CONNECTION_MANAGER)
                        .setTypedConfig(Protos.any(hcm)))
                .build();
    }
}
