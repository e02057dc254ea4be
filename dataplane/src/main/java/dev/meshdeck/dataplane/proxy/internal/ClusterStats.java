package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.stats.Histogram;
import dev.meshdeck.dataplane.stats.Stats;

/**
 * A cluster's upstream statistics under Envoy's names ({@code cluster.<name>.*}), resolved once per
 * cluster runtime. Bumped by {@link UpstreamCall} (requests) and {@link EndpointPool} (connections):
 * <ul>
 *   <li>{@code upstream_rq_total}: tries sent on a connection; {@code upstream_rq_2xx..5xx}: their ends by
 *       status class (a try reset before its answer counts as 503, one that timed out as 504, as Envoy
 *       charges them); {@code upstream_rq_time}: from a try's start to its answer's last byte, ms;</li>
 *   <li>{@code upstream_rq_retry}: retries started; {@code upstream_rq_retry_overflow}: retries refused by
 *       {@code max_retries};</li>
 *   <li>{@code upstream_rq_timeout}: route timeouts; {@code upstream_rq_per_try_timeout}: per-try timeouts;</li>
 *   <li>{@code upstream_rq_pending_overflow}: requests refused by {@code max_requests} or
 *       {@code max_pending_requests};</li>
 *   <li>{@code upstream_cx_total}: connections opened (attempts); {@code upstream_cx_active} (a gauge):
 *       connections open now, old runtimes' included; {@code upstream_cx_connect_fail}: attempts that failed
 *       (all three through {@link HostConnections}); {@code upstream_cx_idle_timeout}: pooled connections closed for idleness;
 *       {@code upstream_cx_overflow}: times a new connection was wanted but {@code max_connections} was reached;
 *       {@code upstream_cx_protocol_error}: HTTP/2 connections whose upstream answered with something
 *       else (an HTTP/1.1-only app).</li>
 * </ul>
 */
final class ClusterStats {
    final Stats.Counter rqTotal;
    private final Stats.Counter[] rqClass = new Stats.Counter[6];
    final Histogram rqTime;
    final Stats.Counter rqRetry;
    final Stats.Counter rqRetryOverflow;
    final Stats.Counter rqTimeout;
    final Stats.Counter rqPerTryTimeout;
    final Stats.Counter rqPendingOverflow;
    final Stats.Counter cxTotal;
    /** Gauge: connections open now. */
    final Stats.Counter cxActive;
    final Stats.Counter cxConnectFail;
    final Stats.Counter cxIdleTimeout;
    final Stats.Counter cxOverflow;
    final Stats.Counter cxMaxRequests;
    final Stats.Counter cxProtocolError;

    ClusterStats(Stats stats, String cluster) {
        String p = "cluster." + cluster + ".";
        rqTotal = stats.counter(p + "upstream_rq_total");
        for (int c = 1; c <= 5; c++) {
            rqClass[c] = stats.counter(p + "upstream_rq_" + c + "xx");
        }
        rqTime = stats.histogram(p + "upstream_rq_time");
        rqRetry = stats.counter(p + "upstream_rq_retry");
        rqRetryOverflow = stats.counter(p + "upstream_rq_retry_overflow");
        rqTimeout = stats.counter(p + "upstream_rq_timeout");
        rqPerTryTimeout = stats.counter(p + "upstream_rq_per_try_timeout");
        rqPendingOverflow = stats.counter(p + "upstream_rq_pending_overflow");
        cxTotal = stats.counter(p + "upstream_cx_total");
        cxActive = stats.gauge(p + "upstream_cx_active");
        cxConnectFail = stats.counter(p + "upstream_cx_connect_fail");
        cxIdleTimeout = stats.counter(p + "upstream_cx_idle_timeout");
        cxOverflow = stats.counter(p + "upstream_cx_overflow");
        cxMaxRequests = stats.counter(p + "upstream_cx_max_requests");
        cxProtocolError = stats.counter(p + "upstream_cx_protocol_error");
    }

    /** Counts a try's end under its status class (1xx..5xx); other codes are not counted. */
    void rqCompleted(int status) {
        int c = status / 100;
        if (c >= 1 && c <= 5) {
            rqClass[c].inc();
        }
    }
}
