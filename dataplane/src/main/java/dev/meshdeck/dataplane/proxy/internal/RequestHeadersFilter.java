package dev.meshdeck.dataplane.proxy.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Prepares the request head for the next hop: drops hop-by-hop headers (keeping the body's framing),
 * removes the {@code x-envoy-fault-*} headers meant for this sidecar's fault filter, gives the request an
 * {@code x-request-id} when it has none, and appends the client's address to {@code x-forwarded-for}.
 * {@code x-forwarded-client-cert} is set from the client's TLS certificate, or removed ({@link ClientCertHeader}).
 * {@code x-envoy-retry-on} / {@code x-envoy-retry-grpc-on} pass, as Envoy passes them on internal requests. {@code traceparent} and every other end-to-end header pass unchanged.
 */
final class RequestHeadersFilter implements ProxyFilter {
    static final String NAME = "meshdeck.request_headers";
    private static final String X_REQUEST_ID = "x-request-id";
    private static final String X_FORWARDED_FOR = "x-forwarded-for";
    private static final String X_FORWARDED_PROTO = "x-forwarded-proto";

    private static final String FAULT_HEADER_PREFIX = "x-envoy-fault-";

    private final Supplier<String> requestIds;

    RequestHeadersFilter(Supplier<String> requestIds) {
        this.requestIds = requestIds;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onRequest(Exchange exchange, FilterChain chain) {
        HttpRequest request = exchange.request();
        HttpHeaders h = request.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        String te = h.get(HttpHeaderNames.TE);
        String upgrade = webSocketUpgrade(exchange, h);
        HopByHop.strip(h);
        if (upgrade != null) {
            // A WebSocket handshake: the upgrade goes to the next hop (Envoy's upgrade_configs: websocket).
            exchange.upgrade(upgrade);
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            h.set(HttpHeaderNames.UPGRADE, upgrade);
        }
        if (exchange.http2() && te != null && te.strip().equalsIgnoreCase("trailers")) {
            // gRPC's clients and servers need it end to end over HTTP/2 (the only TE HTTP/2 allows).
            h.set(HttpHeaderNames.TE, "trailers");
        }
        stripFaultHeaders(h);
        ClientCertHeader.apply(exchange.channel(), h);
        if (chunked) {
            h.remove(HttpHeaderNames.CONTENT_LENGTH);
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (!h.contains(X_REQUEST_ID)) {
            h.set(X_REQUEST_ID, requestIds.get());
        }
        String client = exchange.clientAddress();
        if (!client.isEmpty()) {
            String previous = h.get(X_FORWARDED_FOR);
            h.set(X_FORWARDED_FOR, previous == null || previous.isBlank() ? client : previous + ", " + client);
        }
        if (!h.contains(X_FORWARDED_PROTO)) {
            h.set(X_FORWARDED_PROTO, "http");
        }
        chain.proceed(exchange);
    }

    /** {@code websocket} when the HTTP/1.1 request asks to upgrade to it ({@code Connection: upgrade}). */
    private static String webSocketUpgrade(Exchange exchange, HttpHeaders h) {
        if (exchange.http2()) {
            return null;
        }
        String upgrade = h.get(HttpHeaderNames.UPGRADE);
        if (upgrade == null || !upgrade.strip().equalsIgnoreCase("websocket")
                || !h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            return null;
        }
        return upgrade.strip();
    }

    /**
     * {@code x-envoy-fault-*} ask this sidecar's fault filter for a fault (routing and the filter read them
     * from the request as it arrived); forwarded, they would have the next hop inject the same fault again.
     */
    private static void stripFaultHeaders(HttpHeaders h) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> e : h) {
            if (e.getKey().regionMatches(true, 0, FAULT_HEADER_PREFIX, 0, FAULT_HEADER_PREFIX.length())) {
                names.add(e.getKey());
            }
        }
        names.forEach(h::remove);
    }
}
