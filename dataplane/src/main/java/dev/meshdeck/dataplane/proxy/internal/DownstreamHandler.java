package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.ListenerConfig;
import dev.meshdeck.dataplane.proxy.ProxyOptions;
import dev.meshdeck.dataplane.route.RequestHead;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map.Entry;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection of a listener: turns each HTTP/1.1 request into an {@link Exchange} on the
 * config snapshot current at its arrival and runs it through the listener's filters, one request at a
 * time (pipelined requests wait their turn). Reads are manual: the next bytes are read only when the
 * current request's body can take them, or when the connection is ready for its next request.
 */
final class DownstreamHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(DownstreamHandler.class.getName());

    private final String listenerName;
    private final ListenerConfig boundConfig;
    private final List<ProxyFilter> boundFilters;
    private final AtomicReference<RuntimeSnapshot> snapshots;
    private final ProxyOptions options;
    private final ListenerStats stats;
    private final HeaderTimeoutHandler headerTimeout;
    private final boolean http2;
    private final Drain drain;
    private final ArrayDeque<HttpObject> queued = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Exchange current;
    private boolean closing;
    /** While an HTTP/2 request that came whole with no body (HEADERS with END_STREAM) is handled. */
    private boolean wholeAndEmpty;
    private String clientAddress = "";

    DownstreamHandler(ListenerConfig boundConfig, List<ProxyFilter> boundFilters,
                      AtomicReference<RuntimeSnapshot> snapshots, ProxyOptions options, ListenerStats stats,
                      HeaderTimeoutHandler headerTimeout, boolean http2, Drain drain) {
        this.http2 = http2;
        this.drain = drain;
        this.listenerName = boundConfig.name();
        this.boundConfig = boundConfig;
        this.boundFilters = boundFilters;
        this.snapshots = snapshots;
        this.options = options;
        this.stats = stats;
        this.headerTimeout = headerTimeout;
    }

    String clientAddress() {
        return clientAddress;
    }

    /** Whether a request is in flight or waiting (the connection is not idle). */
    boolean busy() {
        return current != null || !queued.isEmpty();
    }

    /** Whether this is one HTTP/2 stream (then the connection and its header timeout are handled below). */
    boolean http2() {
        return http2;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Added after the protocol was detected: the connection is active already.
        if (ctx.channel().isActive()) {
            activate(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        activate(ctx);
    }

    private void activate(ChannelHandlerContext ctx) {
        if (this.ctx != null) {
            return;
        }
        this.ctx = ctx;
        if (!http2) {
            stats.cxTotal.inc();
        }
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
            clientAddress = a.getAddress().getHostAddress();
        }
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing || !(msg instanceof HttpObject o)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof FullHttpRequest full) {
            // An HTTP/2 stream whose request ended with its headers (or came whole): head, then body.
            HttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
            head.setDecoderResult(full.decoderResult());
            wholeAndEmpty = !full.content().isReadable() && full.trailingHeaders().isEmpty();
            handle(head);
            wholeAndEmpty = false;
            handle(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
            return;
        }
        handle(o);
    }

    private void handle(HttpObject msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
        } else if (current != null || !queued.isEmpty()) {
            if (msg instanceof HttpRequest || !queued.isEmpty()) {
                queued.add(msg);
            } else {
                current.body().onContent((HttpContent) msg);
            }
        } else if (msg instanceof HttpRequest req) {
            start(req);
        } else {
            // The body of a request answered and finished already.
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * Whether an HTTP/1.x request has no body by its headers: neither {@code Content-Length} (or one of 0) nor
     * {@code Transfer-Encoding} (RFC 9112 §6.3); an upgrade's bytes after the head are not its body.
     */
    private static boolean noBody(HttpRequest req) {
        return !req.headers().contains(HttpHeaderNames.TRANSFER_ENCODING) && HttpUtil.getContentLength(req, 0L) == 0L;
    }

    private void start(HttpRequest req) {
        if (headerTimeout != null) {
            headerTimeout.headersReceived();
        }
        stats.rqTotal.inc();
        DecoderResult result = req.decoderResult();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            if (cause instanceof TooLongHttpHeaderException) {
                reject(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                        "request headers larger than " + options.maxHeaderBytes() + " bytes");
            } else if (cause instanceof TooLongHttpLineException) {
                reject(HttpResponseStatus.REQUEST_URI_TOO_LONG,
                        "request line longer than " + options.maxInitialLineBytes() + " bytes");
            } else {
                reject(HttpResponseStatus.BAD_REQUEST, "malformed request: " + cause.getMessage());
            }
            return;
        }
        if (req.method().equals(HttpMethod.CONNECT)) {
            reject(HttpResponseStatus.METHOD_NOT_ALLOWED, "CONNECT is not supported (send plain HTTP requests)");
            return;
        }
        String host;
        String uri = req.uri();
        if (uri.startsWith("/")) {
            host = req.headers().get(HttpHeaderNames.HOST);
            if (host == null || host.isBlank()) {
                if (req.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                    host = "";
                } else {
                    reject(HttpResponseStatus.BAD_REQUEST, "malformed request: no Host header");
                    return;
                }
            }
        } else {
            URI absolute;
            try {
                absolute = new URI(uri);
            } catch (URISyntaxException e) {
                reject(HttpResponseStatus.BAD_REQUEST, "malformed request: request target " + e.getMessage());
                return;
            }
            if (!"http".equalsIgnoreCase(absolute.getScheme()) || absolute.getRawAuthority() == null) {
                reject(HttpResponseStatus.BAD_REQUEST, "malformed request: request target " + uri
                        + " (expected: /path or http://host/path)");
                return;
            }
            host = absolute.getRawAuthority();
            String path = absolute.getRawPath() == null || absolute.getRawPath().isEmpty() ? "/" : absolute.getRawPath();
            req.setUri(absolute.getRawQuery() == null ? path : path + "?" + absolute.getRawQuery());
            req.headers().set(HttpHeaderNames.HOST, host);
        }
        if (http2) {
            stripHttp2Extensions(req);
        }
        RuntimeSnapshot snapshot = snapshots.get();
        ListenerConfig listener = snapshot.config().listeners().getOrDefault(listenerName, boundConfig);
        List<ProxyFilter> filters = snapshot.filters().getOrDefault(listenerName, boundFilters);
        RequestHead head = new RequestHead(req.method().name(), host, req.uri(), RequestHead.headersOf(req.headers()), clientAddress);
        Exchange exchange = new Exchange(this, ctx, req, head, snapshot, listener, options, stats,
                HttpUtil.isKeepAlive(req), http2 ? wholeAndEmpty : noBody(req));
        current = exchange;
        if (drain.started()) {
            // A request that arrived while the proxy drains is served, and its connection then ends.
            DrainWatch watch = (http2 ? ctx.channel().parent() : ctx.channel()).pipeline().get(DrainWatch.class);
            if (watch != null) {
                watch.drain();
            }
        }
        try {
            new FilterChain(filters).proceed(exchange);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "listener " + listenerName + ": request " + req.method() + " " + host + req.uri()
                    + " failed in the filter chain", e);
            exchange.respond(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e);
        }
    }

    /** Netty's {@code x-http2-*} conversion headers (stream id, scheme, path) describe this hop only. */
    static void stripHttp2Extensions(io.netty.handler.codec.http.HttpMessage m) {
        List<String> names = new ArrayList<>();
        for (Entry<String, String> e : m.headers()) {
            if (e.getKey().regionMatches(true, 0, "x-http2-", 0, 8)) {
                names.add(e.getKey());
            }
        }
        names.forEach(m.headers()::remove);
    }

    /** Answers a request that cannot be parsed or served, and closes the connection. */
    private void reject(HttpResponseStatus status, String message) {
        closing = true;
        releaseQueued();
        FullHttpResponse r = LocalReplies.of(ctx.alloc(), HttpVersion.HTTP_1_1, status, message);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        stats.responded(status.code());
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * The proxy drains (an HTTP/1.1 connection): an idle connection closes now; one with a request in flight
     * answers it with {@code Connection: close} (when the answer has not started yet) and closes after it.
     * Requests pipelined behind it are dropped unanswered, as after any {@code Connection: close}.
     */
    void drain() {
        if (closing) {
            return;
        }
        if (current == null && queued.isEmpty()) {
            closing = true;
            ctx.close();
        } else if (current != null) {
            current.closeAfterResponse();
        }
    }

    /** The current exchange's body wants its next chunk. */
    void readMore(Exchange exchange) {
        if (exchange == current && queued.isEmpty() && !closing) {
            ctx.read();
        }
    }

    /**
     * The exchange's upstream switched protocols (a WebSocket): this connection stops speaking HTTP and
     * relays bytes to and from {@code upstream} until either side closes.
     */
    void upgraded(Exchange exchange, io.netty.channel.Channel upstream) {
        if (exchange != current) {
            return;
        }
        current = null;
        closing = true;
        releaseQueued();
        io.netty.channel.ChannelPipeline p = ctx.pipeline();
        p.replace(this, "relay", new ByteRelay(upstream));
        if (p.get("header-timeout") != null) {
            p.remove("header-timeout");
        }
        if (p.get(ServerInitializer.IDLE_TIMEOUT) != null) {
            p.remove(ServerInitializer.IDLE_TIMEOUT); // a WebSocket is a stream in flight, never idle
        }
        p.remove("expect-continue");
        p.remove("http-server-codec");
    }

    /** The exchange is complete (answer written, request read) or must end the connection. */
    void exchangeFinished(Exchange exchange, boolean keepAlive, ChannelFuture lastWrite) {
        if (exchange != current) {
            return;
        }
        current = null;
        if (!keepAlive) {
            closing = true;
            releaseQueued();
            if (lastWrite != null) {
                lastWrite.addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
            return;
        }
        if (lastWrite != null) {
            lastWrite.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
        if (headerTimeout != null) {
            headerTimeout.awaitNext();
        }
        List<HttpObject> pending = new ArrayList<>(queued);
        queued.clear();
        for (HttpObject o : pending) {
            handle(o);
        }
        if (current == null && queued.isEmpty() && !closing) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releaseQueued();
        if (current != null) {
            Exchange e = current;
            current = null;
            e.clientClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "listener " + listenerName + ": client " + clientAddress + ": " + cause, cause);
        ctx.close();
    }

    private void releaseQueued() {
        queued.forEach(ReferenceCountUtil::release);
        queued.clear();
    }
}
