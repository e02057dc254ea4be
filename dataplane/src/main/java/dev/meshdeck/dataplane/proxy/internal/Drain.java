package dev.meshdeck.dataplane.proxy.internal;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * A proxy's drain (Envoy's graceful drain, as Istio runs it when a sidecar stops): once {@linkplain #start
 * started}, every client connection finishes what it is doing and closes — an idle one at once, an HTTP/1.1 one
 * after the answer in flight (sent with {@code Connection: close}), an HTTP/2 one after GOAWAY and its open
 * streams. Listeners keep accepting, so that an app that is stopping too can still make its last calls: a new
 * connection serves one request (HTTP/1.1) or the streams it opened before its GOAWAY (HTTP/2), then closes.
 * Knows the client connections of all listeners (each one's {@link DrainWatch} acts on them).
 */
public final class Drain {
    private final ChannelGroup connections = new DefaultChannelGroup("client connections", GlobalEventExecutor.INSTANCE);
    private volatile boolean started;
    private volatile boolean told;

    /** Whether the drain has started: requests that arrive from now on end their connections. */
    public boolean started() {
        return started;
    }

    /** Whether every connection open at the start has been told (its event loop has the task queued). */
    public boolean told() {
        return told;
    }

    /** Counts {@code connection} until it closes. */
    void track(Channel connection) {
        connections.add(connection);
    }

    /** Client connections still open. */
    public int openConnections() {
        return connections.size();
    }

    /** Starts draining: each open connection is told on its own event loop; new ones see {@link #started()}. */
    public void start() {
        started = true;
        for (Channel c : connections) {
            c.eventLoop().execute(() -> {
                DrainWatch watch = c.pipeline().get(DrainWatch.class);
                if (watch != null) {
                    watch.drain();
                }
            });
        }
        told = true;
    }
}
