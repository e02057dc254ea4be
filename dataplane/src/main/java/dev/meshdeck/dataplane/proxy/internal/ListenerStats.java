package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.stats.Histogram;
import dev.meshdeck.dataplane.stats.Stats;

/**
 * A listener's downstream statistics under Envoy's HTTP connection manager names
 * ({@code http.<listener>.*}), bumped by {@link DownstreamHandler} and {@link Exchange}:
 * {@code downstream_cx_total} (client connections accepted), {@code downstream_rq_total} (request heads
 * received, malformed ones included), {@code downstream_cx_idle_timeout} and {@code downstream_cx_drain_close}
 * (connections the listener's idle timeout or the proxy's drain closed), {@code downstream_rq_1xx..5xx} (answers by status class, the
 * sidecar's own included) and {@code downstream_rq_time} (from the request head to the answer's last
 * byte written, ms); and the gauges {@code downstream_cx_active} (client connections open now, from their
 * accept to their close) and {@code downstream_rq_active} (requests whose exchange has not ended: answered and
 * read, or their connection gone).
 */
final class ListenerStats {
    final Stats.Counter cxTotal;
    final Stats.Counter rqTotal;
    /** Gauge: client connections open now. */
    final Stats.Counter cxActive;
    /** Gauge: requests in flight. */
    final Stats.Counter rqActive;
    /** Client connections closed by the listener's idle timeout. */
    final Stats.Counter cxIdleTimeout;
    /** Client connections ended by the proxy's drain. */
    final Stats.Counter cxDrainClose;
    private final Stats.Counter[] rqClass = new Stats.Counter[6];
    final Histogram rqTime;

    ListenerStats(Stats stats, String listener) {
        String p = "http." + listener + ".";
        cxIdleTimeout = stats.counter(p + "downstream_cx_idle_timeout");
        cxDrainClose = stats.counter(p + "downstream_cx_drain_close");
        cxTotal = stats.counter(p + "downstream_cx_total");
        rqTotal = stats.counter(p + "downstream_rq_total");
        cxActive = stats.gauge(p + "downstream_cx_active");
        rqActive = stats.gauge(p + "downstream_rq_active");
        for (int c = 1; c <= 5; c++) {
            rqClass[c] = stats.counter(p + "downstream_rq_" + c + "xx");
        }
        rqTime = stats.histogram(p + "downstream_rq_time");
    }

    /** Counts an answer under its status class. */
    void responded(int status) {
        int c = status / 100;
        if (c >= 1 && c <= 5) {
            rqClass[c].inc();
        }
    }

    /** Records the time since {@code startNanos} (a {@link System#nanoTime()} value) in {@code downstream_rq_time}. */
    void rqTime(long startNanos) {
        rqTime.record((System.nanoTime() - startNanos) / 1_000_000.0);
    }
}
