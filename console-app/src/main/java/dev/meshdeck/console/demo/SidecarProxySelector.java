package dev.meshdeck.console.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Sends an app's HTTP calls to its sidecar's outbound listener, as {@code http_proxy=127.0.0.1:PORT} would;
 * the port is asked for at each call, so the app can start before its sidecar knows its port.
 */
final class SidecarProxySelector extends ProxySelector {
    private final IntSupplier outboundPort;

    SidecarProxySelector(IntSupplier outboundPort) {
        this.outboundPort = outboundPort;
    }

    @Override
    public List<Proxy> select(URI uri) {
        int port = outboundPort.getAsInt();
        if (port <= 0) {
            return List.of(Proxy.NO_PROXY);
        }
        return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("127.0.0.1", port)));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        // The sidecar is down: the call fails and the app reports it.
    }
}
