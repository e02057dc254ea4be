package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A fire-and-forget copy of a request to a mirror cluster (Envoy's request mirror policy): one try, the
 * Host with {@code -shadow} appended, its answer read and dropped. It never touches the client's
 * exchange: whatever happens to it (no endpoint, overflow, refused, reset, timeout) the main request goes
 * on as if there were no mirror. Only a request whose whole body is buffered is mirrored (see
 * {@link RequestBody#replayable()}). Counts into the mirror cluster's {@link ClusterStats}.
 */
final class MirrorCall implements UpstreamHandler.Listener {
    static final String SHADOW_SUFFIX = "-shadow";

    private final ClusterRuntime cluster;
    private HttpRequest head;
    private final List<HttpContent> body;
    private final io.netty.channel.EventLoop loop;
    private final Duration timeout;
    private UpstreamPool pool;
    private final boolean http2Downstream;
    private Endpoint endpoint;
    private Channel channel;
    private boolean keepAlive;
    private int status;
    private boolean done;
    private ScheduledFuture<?> timer;
    private Promise<Channel> acquiring;
    private long startNanos;

    /**
     * @param body    retained copies of the whole request body (this call releases them)
     * @param http2Downstream whether the client's request came over HTTP/2 (the mirror cluster's protocol options,
     *                        and its endpoint, decide how the copy goes)
     * @param timeout the route's timeout (zero: none; the mirror then ends with its connection or answer)
     */
    MirrorCall(ClusterRuntime cluster, HttpRequest request, List<HttpContent> body, io.netty.channel.EventLoop loop,
               Duration timeout, boolean http2Downstream) {
        this.http2Downstream = http2Downstream;
        this.cluster = cluster;
        HttpRequest copy = new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.uri(),
                request.headers().copy());
        String host = copy.headers().get(HttpHeaderNames.HOST);
        if (host != null) {
            copy.headers().set(HttpHeaderNames.HOST, shadowHost(host));
        }
        this.head = copy;
        this.body = body;
        this.loop = loop;
        this.timeout = timeout;
    }

    /** Envoy's shadow host: {@code -shadow} appended to the host name (before the port, if any). */
    static String shadowHost(String host) {
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon && host.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            return host.substring(0, colon) + SHADOW_SUFFIX + host.substring(colon);
        }
        return host + SHADOW_SUFFIX;
    }

    void start() {
        if (!cluster.limits().requests().tryAcquire()) {
            cluster.stats().rqPendingOverflow.inc();
            releaseBody();
            done = true;
            return;
        }
        Optional<Endpoint> picked = cluster.loadBalancer().pick(OptionalLong.empty(), Set.of());
        if (picked.isEmpty()) {
            finish();
            return;
        }
        endpoint = picked.get();
        boolean http2 = cluster.http2Upstream(http2Downstream, endpoint);
        if (http2Downstream && !http2) {
            // A copy of an HTTP/2 request for an HTTP/1.1-only mirror: its body has arrived whole.
            Http2ToHttp1.adapt(head, body.stream().allMatch(c -> c.content().readableBytes() == 0));
        }
        pool = cluster.pool(loop, endpoint, http2);
        if (!timeout.isZero()) {
            timer = loop.schedule(this::onTimeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        Promise<Channel> p = pool.acquire();
        acquiring = p;
        p.addListener(this::onAcquired);
    }

    private void onAcquired(Future<? super Channel> f) {
        acquiring = null;
        if (f.isCancelled()) {
            return;
        }
        if (!f.isSuccess()) {
            if (done) {
                return;
            }
            if (f.cause() instanceof Http2EndpointPool.NotHttp2Exception) {
                cluster.answeredNotHttp2(endpoint); // this copy is dropped; the next ones go over HTTP/1.1
            }
            if (!(f.cause() instanceof UpstreamOverflowException)) {
                cluster.loadBalancer().started(endpoint);
                cluster.loadBalancer().finished(endpoint, 0);
            }
            finish();
            return;
        }
        Channel ch = (Channel) f.getNow();
        if (done) {
            pool.release(ch, true);
            return;
        }
        channel = ch;
        cluster.loadBalancer().started(endpoint);
        cluster.stats().rqTotal.inc();
        startNanos = System.nanoTime();
        UpstreamHandler.of(ch).attach(this);
        ch.write(head).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        for (HttpContent c : body) {
            ch.write(c);
        }
        boolean last = !body.isEmpty() && body.get(body.size() - 1) instanceof LastHttpContent;
        body.clear();
        if (!last) {
            ch.write(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        ch.flush();
        ch.read();
    }

    @Override
    public void onUpstreamMessage(HttpObject msg) {
        Channel ch = channel;
        try {
            if (done || ch == null) {
                return;
            }
            if (msg.decoderResult().isFailure()) {
                end(502, false);
                return;
            }
            if (msg instanceof HttpResponse r) {
                int code = r.status().code();
                if (code >= 100 && code < 200) {
                    ch.read();
                    return;
                }
                status = code;
                keepAlive = HttpUtil.isKeepAlive(r);
            }
            if (msg instanceof LastHttpContent && status != 0) {
                cluster.stats().rqTime.record((System.nanoTime() - startNanos) / 1_000_000.0);
                end(status, keepAlive);
                return;
            }
            ch.read();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void onUpstreamClosed(Throwable cause) {
        if (done) {
            return;
        }
        channel = null;
        cluster.stats().rqCompleted(503);
        cluster.loadBalancer().finished(endpoint, 503);
        finish();
    }

    private void onTimeout() {
        timer = null;
        if (done) {
            return;
        }
        cluster.stats().rqTimeout.inc();
        if (channel != null) {
            end(504, false);
        } else {
            finish();
        }
    }

    private void end(int code, boolean reusable) {
        Channel ch = channel;
        channel = null;
        cluster.stats().rqCompleted(code);
        cluster.loadBalancer().finished(endpoint, code);
        if (ch != null) {
            pool.release(ch, reusable);
        }
        finish();
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        if (acquiring != null) {
            acquiring.cancel(false);
            acquiring = null;
        }
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        releaseBody();
        cluster.limits().requests().release();
    }

    private void releaseBody() {
        body.forEach(HttpContent::release);
        body.clear();
    }
}
