package dev.meshdeck.dataplane.proxy.internal;

/**
 * One step of the sidecar's request chain (inbound and outbound alike). A filter looks at or changes the
 * exchange and then either calls {@link FilterChain#proceed} (now or later, on the exchange's event
 * loop) or answers the request itself with {@link Exchange#respond}.
 */
public interface ProxyFilter {

    /** The filter's name (the xDS HTTP filter name where there is one). */
    String name();

    void onRequest(Exchange exchange, FilterChain chain);
}
