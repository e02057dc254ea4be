package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.proxy.FaultPolicy;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.TimeUnit;

/**
 * Envoy's fault filter ({@code envoy.filters.http.fault}): for a route with fault settings, delays
 * and/or aborts the request as the {@link FaultPolicy} decides. A route without fault settings passes.
 */
final class FaultFilter implements ProxyFilter {
    static final String NAME = "envoy.filters.http.fault";

    private final FaultPolicy policy;

    FaultFilter(FaultPolicy policy) {
        this.policy = policy;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onRequest(Exchange exchange, FilterChain chain) {
        Route.Fault fault = exchange.forward() == null ? null : exchange.forward().route().fault();
        if (fault == null) {
            chain.proceed(exchange);
            return;
        }
        FaultPolicy.Decision decision = policy.decide(fault, exchange.head());
        Runnable then = () -> {
            if (decision.abortStatus() != 0) {
                exchange.respond(HttpResponseStatus.valueOf(decision.abortStatus()), "fault filter abort");
            } else {
                chain.proceed(exchange);
            }
        };
        if (decision.delay().isZero()) {
            then.run();
        } else {
            exchange.eventLoop().schedule(() -> {
                try {
                    then.run();
                } catch (RuntimeException e) {
                    exchange.respond(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e);
                }
            }, decision.delay().toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
