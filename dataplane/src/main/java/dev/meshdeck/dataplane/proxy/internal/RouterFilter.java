package dev.meshdeck.dataplane.proxy.internal;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.random.RandomGenerator;

/**
 * The last filter ({@code envoy.filters.http.router}): forwards the request to the cluster routing chose.
 */
final class RouterFilter implements ProxyFilter {
    static final String NAME = "envoy.filters.http.router";

    private final RandomGenerator random;

    /** @param random draws the retries' backoff */
    RouterFilter(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onRequest(Exchange exchange, FilterChain chain) {
        String clusterName = exchange.forward().cluster();
        ClusterRuntime cluster = exchange.snapshot().clusters().get(clusterName);
        if (cluster == null) {
            exchange.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "cluster " + clusterName + " does not exist");
            return;
        }
        new UpstreamCall(exchange, cluster, random).start();
    }
}
