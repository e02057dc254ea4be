package dev.meshdeck.dataplane.proxy.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * One endpoint's upstream connections, shared by its pools on every event loop: what {@code /clusters} shows per
 * host ({@code cx_total} connections opened, {@code cx_active} open now, {@code cx_connect_fail} that failed to
 * connect or handshake), counted together with the cluster's {@code upstream_cx_total}, {@code upstream_cx_active}
 * and {@code upstream_cx_connect_fail}. A pool calls {@link #opening} for each connection it opens and
 * {@link #closed} once that connection's channel has closed, whatever happened in between.
 */
final class HostConnections {
    private final ClusterStats cluster;
    private final LongAdder total = new LongAdder();
    private final LongAdder active = new LongAdder();
    private final LongAdder connectFail = new LongAdder();

    HostConnections(ClusterStats cluster) {
        this.cluster = cluster;
    }

    void opening() {
        total.increment();
        active.increment();
        cluster.cxTotal.inc();
        cluster.cxActive.inc();
    }

    void connectFailed() {
        connectFail.increment();
        cluster.cxConnectFail.inc();
    }

    void closed() {
        active.decrement();
        cluster.cxActive.dec();
    }

    long total() {
        return total.sum();
    }

    long active() {
        return active.sum();
    }

    long connectFail() {
        return connectFail.sum();
    }
}
