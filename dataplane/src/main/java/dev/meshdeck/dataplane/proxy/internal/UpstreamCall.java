package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.lb.LoadBalancer;
import dev.meshdeck.dataplane.retry.RetryDecider;
import dev.meshdeck.dataplane.retry.TryOutcome;
import dev.meshdeck.dataplane.route.HashKeys;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.ConnectException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * One request forwarded to a cluster: one or more tries (each on an endpoint the load balancer picks and
 * a pooled connection to it), the route's timeout over all of them and the per-try timeout, retries as
 * {@link RetryDecider} decides (with its backoff) while the body is buffered and nothing of the answer has
 * gone to the client, and the answer streamed back with backpressure (the next upstream read only after
 * the client took the last chunk). The request hash for ring hash / Maglev comes from the route's hash
 * policies ({@link HashKeys}). Bumps the cluster's {@link ClusterStats}. Used on the exchange's event loop
 * only.
 */
final class UpstreamCall implements UpstreamHandler.Listener, RequestBody.Sink {
    private final Exchange exchange;
    private final ClusterRuntime cluster;
    private final Route route;
    private final Route.RetryPolicy retry;
    private final RetryDecider decider;
    private final RandomGenerator random;
    private final ClusterStats stats;
    private final OptionalLong hash;
    /** A gRPC request: it needs HTTP/2 upstream, so it is never sent over HTTP/1.1 to an app that lacks it. */
    private final boolean grpc;
    private final Set<Endpoint> tried = new HashSet<>();
    private int retriesDone;
    private boolean counted;
    private boolean retryCounted;
    private boolean done;
    private boolean mirrored;
    private ScheduledFuture<?> routeTimer;
    private ScheduledFuture<?> tryTimer;
    private ScheduledFuture<?> backoffTimer;
    private Promise<Channel> acquiring;
    private UpstreamPool pool;
    private Endpoint endpoint;
    /** Whether this try goes over HTTP/2 (the cluster's protocol or ALPN, or the client's, for its endpoint). */
    private boolean http2Upstream;
    /** Whether this try's HEADERS frame ended its stream: the request has no body. */
    private boolean headersEndStream;
    private Channel channel;
    private boolean ignoringInformational;
    private boolean upstreamKeepAlive;
    private int status;
    private long tryStartNanos;

    UpstreamCall(Exchange exchange, ClusterRuntime cluster, RandomGenerator random) {
        this.exchange = exchange;
        this.cluster = cluster;
        this.route = exchange.forward().route();
        this.retry = route.action().retry();
        this.decider = RetryDecider.of(retry, exchange.head());
        this.random = random;
        this.stats = cluster.stats();
        this.hash = HashKeys.compute(route.action().hashPolicies(), exchange.head());
        this.grpc = GrpcStatus.isGrpc(exchange.head());
    }

    void start() {
        if (!cluster.limits().requests().tryAcquire()) {
            done = true;
            stats.rqPendingOverflow.inc();
            overloaded("cluster " + cluster.name() + ": too many requests (max_requests "
                    + cluster.config().circuitBreakers().maxRequests() + ")");
            return;
        }
        counted = true;
        exchange.call(this);
        if (exchange.body().ended()) {
            onRequestEnded();
        }
        startTry();
    }

    /** The whole request arrived: the route timeout starts (as Envoy's does). */
    void onRequestEnded() {
        if (!mirrored) {
            mirrored = true;
            mirror();
        }
        Duration timeout = route.action().timeout();
        if (!done && routeTimer == null && !timeout.isZero()) {
            routeTimer = exchange.eventLoop().schedule(this::onRouteTimeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Copies the request to the route's mirror clusters (each by its fraction), fire and forget; only a
     * request whose whole body is still buffered ({@code ProxyOptions.retryBufferBytes}) is mirrored.
     */
    private void mirror() {
        if (exchange.upgrade() != null) {
            return; // a WebSocket handshake is not mirrored: its connection would be the mirror's to keep
        }
        for (Route.Mirror m : route.action().mirrors()) {
            ClusterRuntime target = exchange.snapshot().clusters().get(m.cluster());
            if (target == null || m.fraction() <= 0 || (m.fraction() < 1 && random.nextDouble() >= m.fraction())) {
                continue;
            }
            Optional<java.util.List<HttpContent>> body = exchange.body().copyAll();
            if (body.isEmpty()) {
                return;
            }
            new MirrorCall(target, exchange.request(), body.get(), exchange.eventLoop(), route.action().timeout(),
                    exchange.http2()).start();
        }
    }

    private void startTry() {
        backoffTimer = null;
        if (done) {
            return;
        }
        Optional<Endpoint> picked = cluster.loadBalancer().pick(hash, tried);
        if (picked.isEmpty()) {
            fail(HttpResponseStatus.SERVICE_UNAVAILABLE, "no healthy upstream: cluster " + cluster.name()
                    + " has no healthy endpoint");
            return;
        }
        endpoint = picked.get();
        tried.add(endpoint);
        status = 0;
        ignoringInformational = false;
        http2Upstream = cluster.http2Upstream(exchange.http2(), endpoint, grpc);
        pool = cluster.pool(exchange.eventLoop(), endpoint, http2Upstream);
        if (retry != null && !retry.perTryTimeout().isZero()) {
            tryTimer = exchange.eventLoop().schedule(this::onTryTimeout, retry.perTryTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
        acquire();
    }

    private void acquire() {
        Promise<Channel> p = pool.acquire();
        acquiring = p;
        p.addListener(f -> onAcquired(p, f));
    }

    private void onAcquired(Promise<Channel> p, Future<? super Channel> f) {
        if (acquiring != p || f.isCancelled()) {
            return;
        }
        acquiring = null;
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            if (cause instanceof UpstreamOverflowException) {
                overloaded(cause.getMessage());
                return;
            }
            if (cause instanceof Http2EndpointPool.NotHttp2Exception && cluster.answeredNotHttp2(endpoint) && !grpc) {
                // An app that speaks HTTP/1.1 only, reached by an HTTP/2 client: the same try, over HTTP/1.1.
                http2Upstream = false;
                pool = cluster.pool(exchange.eventLoop(), endpoint, false);
                acquire();
                return;
            }
            cluster.loadBalancer().started(endpoint);
            cluster.loadBalancer().finished(endpoint, 0);
            String reason = cause instanceof ConnectException ? "connection refused" : String.valueOf(cause.getMessage());
            tryFailed(TryOutcome.Failure.CONNECT_FAILURE, HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "upstream connect error: cluster " + cluster.name() + ", endpoint " + endpoint.address() + ": " + reason);
            return;
        }
        Channel ch = (Channel) f.getNow();
        if (done) {
            pool.release(ch, true);
            return;
        }
        channel = ch;
        cluster.loadBalancer().started(endpoint);
        stats.rqTotal.inc();
        tryStartNanos = System.nanoTime();
        UpstreamHandler.of(ch).attach(this);
        HttpRequest src = exchange.request();
        HttpRequest head;
        if (exchange.http2() || http2Upstream) {
            // Each hop's conversion changes the headers (Netty's HTTP/2 codec adds x-http2-scheme): a copy, so
            // that a retry or a mirror starts again from the client's.
            head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, src.method(), src.uri(), src.headers().copy());
            if (exchange.http2() && !http2Upstream) {
                Http2ToHttp1.adapt(head, exchange.body().none() || exchange.body().endedEmpty());
            }
        } else {
            // HTTP/1.1 on both sides: the encoder only reads the client's headers, so they go as they are.
            head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, src.method(), src.uri(), src.headers());
        }
        // A request with no body goes over HTTP/2 as one HEADERS frame that ends the stream, as it came (else the next
        // hop, seeing HEADERS then an empty DATA frame, cannot tell it from a body of unknown length); the empty end
        // of its body is then not written.
        headersEndStream = http2Upstream && exchange.body().none() && exchange.upgrade() == null;
        if (headersEndStream) {
            head = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, head.method(), head.uri(), Unpooled.EMPTY_BUFFER,
                    head.headers(), EmptyHttpHeaders.INSTANCE);
        }
        ch.write(head).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        exchange.body().attach(this);
        ch.flush();
        ch.read();
    }

    @Override
    public ChannelFuture write(HttpContent chunk) {
        if (headersEndStream) {
            chunk.release(); // the end of a body that is known to be empty: HEADERS ended the stream
            return channel.newSucceededFuture();
        }
        return channel.write(chunk);
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public void onUpstreamMessage(HttpObject msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            onResponseHead(response);
        }
        if (msg instanceof HttpContent chunk) {
            onResponseChunk(chunk);
        }
    }

    private void onResponseHead(HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            ReferenceCountUtil.release(response);
            malformedResponse(response.decoderResult().cause());
            return;
        }
        int code = response.status().code();
        if (code == 101 && exchange.upgrade() != null && !exchange.http2()) {
            switchProtocols(response);
            return;
        }
        if (code >= 100 && code < 200) {
            // 100 Continue and other interim answers: the client got its own 100 from us.
            ignoringInformational = true;
            channel.read();
            return;
        }
        ignoringInformational = false;
        status = code;
        stats.rqCompleted(code);
        if (canRetry() && decider.shouldRetry(outcome(response), retriesDone) && reserveRetry()) {
            abandonTry(code);
            scheduleRetry();
            return;
        }
        cancelTryTimer();
        HttpHeaders h = response.headers();
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        HopByHop.strip(h);
        if (exchange.http2() || http2Upstream) {
            // Netty's HTTP/2 conversion headers: the upstream's, or an HTTP/1.1 app's lookalikes the client's
            // HTTP/2 conversion would take for its own.
            DownstreamHandler.stripHttp2Extensions(response);
        }
        HeaderOps.apply(route.responseHeaders(), h);
        boolean bodiless = exchange.method().equals(HttpMethod.HEAD) || code == 204 || code == 304;
        if (!bodiless && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            if (exchange.clientVersion().equals(HttpVersion.HTTP_1_1)) {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else {
                exchange.closeAfterResponse();
            }
        }
        // An HTTP/2 answer that ended with its headers (gRPC's trailers-only) stays whole: the client's
        // stream must end with those headers too. Its body part follows as the last chunk.
        exchange.startResponse(response instanceof FullHttpResponse && exchange.http2()
                ? response : new DefaultHttpResponse(exchange.clientVersion(), response.status(), h));
        channel.read();
    }

    private void onResponseChunk(HttpContent chunk) {
        if (chunk.decoderResult().isFailure() && channel != null) {
            Throwable cause = chunk.decoderResult().cause();
            chunk.release();
            malformedResponse(cause);
            return;
        }
        if (ignoringInformational || channel == null || !exchange.responseStarted()) {
            chunk.release();
            if (channel != null) {
                channel.read();
            }
            return;
        }
        Channel ch = channel;
        if (chunk instanceof LastHttpContent) {
            stats.rqTime.record((System.nanoTime() - tryStartNanos) / 1_000_000.0);
            boolean reusable = upstreamKeepAlive && exchange.body().ended();
            endTry(status, reusable);
            complete();
            exchange.writeResponse(chunk);
            return;
        }
        exchange.writeResponseLater(chunk).addListener(f -> {
            if (f.isSuccess()) {
                if (channel == ch) {
                    ch.read();
                }
            } else if (channel == ch) {
                cancel();
            }
        });
    }

    @Override
    public void onUpstreamReadComplete() {
        // The head and the chunks this read brought go to the client together, and a head without its body yet
        // (an event stream) goes at once.
        exchange.flushResponse();
    }

    @Override
    public void onUpstreamClosed(Throwable cause) {
        if (done) {
            return;
        }
        channel = null;
        exchange.body().detach();
        cluster.loadBalancer().finished(endpoint, 0);
        if (exchange.responseStarted()) {
            complete();
            exchange.closeConnection();
            return;
        }
        stats.rqCompleted(503);
        String reason = cause == null ? "connection closed" : String.valueOf(cause.getMessage());
        tryFailed(TryOutcome.Failure.RESET, HttpResponseStatus.SERVICE_UNAVAILABLE,
                "upstream reset before response: cluster " + cluster.name() + ", endpoint " + endpoint.address()
                        + ": " + reason);
    }

    /**
     * The upstream accepted the upgrade: the try ends here (counted as a 1xx), its connection leaves the pool
     * for good, and both connections become a byte relay that lives until either side closes.
     */
    private void switchProtocols(HttpResponse response) {
        Channel ch = channel;
        channel = null;
        stats.rqCompleted(101);
        stats.rqTime.record((System.nanoTime() - tryStartNanos) / 1_000_000.0);
        exchange.body().detach();
        cluster.loadBalancer().finished(endpoint, 101);
        complete();
        UpstreamHandler.of(ch).detach();
        ChannelPipeline p = ch.pipeline();
        p.replace(UpstreamHandler.class, "relay", new ByteRelay(exchange.channel()));
        if (p.get(EndpointPool.IDLE_TIMEOUT) != null) {
            p.remove(EndpointPool.IDLE_TIMEOUT); // a WebSocket is in flight until either side closes
        }
        // The codec's encoder goes now (the client's first bytes may follow at once); bytes its decoder read past
        // the 101 reach the relay once this read is over, so after the 101 the client is sent next.
        p.remove("http-client-codec");
        exchange.switchProtocols(response, ch);
    }

    /** The upstream's answer cannot be parsed: 502 if nothing went to the client yet, else cut the client off. */
    private void malformedResponse(Throwable cause) {
        cancelTryTimer();
        dropCurrentTry(502);
        if (exchange.responseStarted()) {
            complete();
            exchange.closeConnection();
        } else {
            fail(HttpResponseStatus.BAD_GATEWAY, "upstream sent a malformed response: cluster " + cluster.name()
                    + ", endpoint " + endpoint.address() + ": " + cause.getMessage());
        }
    }

    private void onTryTimeout() {
        tryTimer = null;
        if (done || exchange.responseStarted()) {
            return;
        }
        stats.rqPerTryTimeout.inc();
        if (channel != null) {
            stats.rqCompleted(504);
        }
        dropCurrentTry(LoadBalancer.TIMEOUT);
        tryFailed(TryOutcome.Failure.PER_TRY_TIMEOUT, HttpResponseStatus.GATEWAY_TIMEOUT,
                "upstream per-try timeout: cluster " + cluster.name());
    }

    private void onRouteTimeout() {
        routeTimer = null;
        if (done) {
            return;
        }
        stats.rqTimeout.inc();
        if (channel != null && !exchange.responseStarted()) {
            stats.rqCompleted(504);
        }
        dropCurrentTry(LoadBalancer.TIMEOUT);
        if (exchange.responseStarted()) {
            complete();
            exchange.closeConnection();
        } else {
            fail(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream request timeout");
        }
    }

    /** The client went away or the connection must end: stop everything. */
    void cancel() {
        if (done) {
            return;
        }
        // The client gave up: not the endpoint's failure.
        dropCurrentTry(LoadBalancer.CLIENT_GONE);
        complete();
    }

    /** Whether the proxy can replay the request at all; {@link RetryDecider} decides whether it should. */
    private boolean canRetry() {
        return retry != null && exchange.body().replayable() && !exchange.responseStarted() && !done;
    }

    /** The try's response as the retry conditions see it: its status, and {@code grpc-status} for gRPC. */
    private static TryOutcome outcome(HttpResponse response) {
        String grpc = response.headers().get("grpc-status");
        String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (grpc != null && type != null && type.startsWith(GrpcStatus.CONTENT_TYPE)) {
            try {
                return TryOutcome.grpc(response.status().code(), Integer.parseInt(grpc.strip()));
            } catch (NumberFormatException e) {
                // not a status: judge by the HTTP status alone
            }
        }
        return TryOutcome.status(response.status().code());
    }

    private void tryFailed(TryOutcome outcome, HttpResponseStatus status, String message) {
        cancelTryTimer();
        if (canRetry() && decider.shouldRetry(outcome, retriesDone) && reserveRetry()) {
            scheduleRetry();
            return;
        }
        fail(status, message);
    }

    /** The cluster's {@code maxRetries} breaker: requests retrying at once (Envoy's retry overflow answers the last try's result). */
    private boolean reserveRetry() {
        if (!retryCounted) {
            retryCounted = cluster.limits().retries().tryAcquire();
            if (!retryCounted) {
                stats.rqRetryOverflow.inc();
            }
        }
        return retryCounted;
    }

    /** Retry number {@code retriesDone + 1}, after Envoy's jittered backoff. */
    private void scheduleRetry() {
        retriesDone++;
        stats.rqRetry.inc();
        Duration after = RetryDecider.backoff(retry, retriesDone, random);
        if (after.isZero() || after.isNegative()) {
            startTry();
        } else {
            backoffTimer = exchange.eventLoop().schedule(this::startTry, after.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Gives up the current try's connection (it is mid-request, so it cannot be reused). */
    private void abandonTry(int endStatus) {
        cancelTryTimer();
        Channel ch = channel;
        channel = null;
        exchange.body().detach();
        if (ch != null) {
            cluster.loadBalancer().finished(endpoint, endStatus);
            pool.release(ch, false);
        }
    }

    private void dropCurrentTry(int endStatus) {
        if (acquiring != null) {
            acquiring.cancel(false);
            acquiring = null;
        }
        abandonTry(endStatus);
    }

    private void endTry(int endStatus, boolean reusable) {
        cancelTryTimer();
        Channel ch = channel;
        channel = null;
        exchange.body().detach();
        cluster.loadBalancer().finished(endpoint, endStatus);
        pool.release(ch, reusable);
    }

    private void fail(HttpResponseStatus status, String message) {
        complete();
        exchange.respond(status, message);
    }

    private void overloaded(String message) {
        complete();
        exchange.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "upstream overflow: " + message,
                r -> r.headers().set("x-envoy-overloaded", "true"));
    }

    private void complete() {
        done = true;
        cancelTryTimer();
        if (routeTimer != null) {
            routeTimer.cancel(false);
            routeTimer = null;
        }
        if (backoffTimer != null) {
            backoffTimer.cancel(false);
            backoffTimer = null;
        }
        if (counted) {
            counted = false;
            cluster.limits().requests().release();
        }
        if (retryCounted) {
            retryCounted = false;
            cluster.limits().retries().release();
        }
    }

    private void cancelTryTimer() {
        if (tryTimer != null) {
            tryTimer.cancel(false);
            tryTimer = null;
        }
    }
}
