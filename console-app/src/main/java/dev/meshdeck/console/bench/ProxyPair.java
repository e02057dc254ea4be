package dev.meshdeck.console.bench;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Two proxies in a row in front of the backend, as in a mesh: the client side's proxy, then the server side's,
 * then the app. The load enters at {@link #entry()} with {@code Host:} {@link #host()}.
 */
interface ProxyPair extends AutoCloseable {

    /** The name the report shows. */
    String name();

    InetSocketAddress entry();

    String host();

    /** The client-side and the server-side process, in that order. */
    List<ChildProcess> processes();

    @Override
    void close();
}
