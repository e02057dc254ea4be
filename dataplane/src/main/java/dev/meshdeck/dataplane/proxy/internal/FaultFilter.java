package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.fault.FaultDecider;
import dev.meshdeck.dataplane.fault.FaultDecision;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Envoy's fault filter ({@code envoy.filters.http.fault}): for a route with fault settings, delays and/or
 * aborts the request as {@link FaultDecider} decides (the route's percentages drawn from the injected
 * random, the request's {@code x-envoy-fault-*} headers where the route allows them). An abort answers a
 * gRPC request (content type {@code application/grpc...}) trailers-only style: HTTP 200,
 * {@code content-type: application/grpc}, {@code grpc-status} and {@code grpc-message}; any other request
 * gets the HTTP status. A gRPC status for a plain request, or an HTTP status for a gRPC one, is mapped as
 * Envoy maps them ({@link GrpcStatus}). Bumps {@link FaultStats}.
 * (The request's {@code x-envoy-fault-*} headers are read from the request as it arrived; the
 * {@link RequestHeadersFilter} keeps them from going upstream.)
 */
final class FaultFilter implements ProxyFilter {
    static final String NAME = "envoy.filters.http.fault";
    static final String ABORT_MESSAGE = "fault filter abort";
    private static final String FAULT_HEADER_PREFIX = "x-envoy-fault-";

    private final RandomGenerator random;
    private final FaultStats stats;

    FaultFilter(RandomGenerator random, FaultStats stats) {
        this.random = random;
        this.stats = stats;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onRequest(Exchange exchange, FilterChain chain) {
        Route.Fault fault = exchange.forward() == null ? null : exchange.forward().route().fault();
        FaultDecision decision = FaultDecider.decide(fault, exchange.head(), random);
        Runnable then = () -> {
            if (decision.aborts()) {
                stats.abortsInjected.inc();
                abort(exchange, decision);
            } else {
                chain.proceed(exchange);
            }
        };
        if (!decision.delays()) {
            then.run();
            return;
        }
        stats.delaysInjected.inc();
        exchange.eventLoop().schedule(() -> {
            try {
                then.run();
            } catch (RuntimeException e) {
                exchange.respond(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e);
            }
        }, decision.delay().toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void abort(Exchange exchange, FaultDecision decision) {
        if (GrpcStatus.isGrpc(exchange.head())) {
            int grpc = decision.abortGrpcStatus().isPresent() ? decision.abortGrpcStatus().getAsInt()
                    : GrpcStatus.fromHttp(decision.abortHttpStatus().getAsInt());
            exchange.respond(GrpcStatus.trailersOnly(exchange, grpc, ABORT_MESSAGE));
        } else {
            int http = decision.abortHttpStatus().isPresent() ? decision.abortHttpStatus().getAsInt()
                    : GrpcStatus.toHttp(decision.abortGrpcStatus().getAsInt());
            exchange.respond(HttpResponseStatus.valueOf(http), ABORT_MESSAGE);
        }
    }
}
