package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.ListenerConfig;
import dev.meshdeck.dataplane.proxy.ProxyOptions;
import dev.meshdeck.dataplane.route.RequestHead;
import dev.meshdeck.dataplane.route.RouteResult;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * One request and its answer on a client connection: the request head to forward (filters change it),
 * what routing needs of it, the config snapshot it runs on, its body and the state of its response. Used
 * on the connection's event loop only.
 */
public final class Exchange {
    private final DownstreamHandler connection;
    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final RequestHead head;
    private final RuntimeSnapshot snapshot;
    private final ListenerConfig listener;
    private final ProxyOptions options;
    private final RequestBody body;
    private final HttpVersion clientVersion;
    private final ListenerStats stats;
    private final long startNanos = System.nanoTime();
    private boolean keepAlive;
    private RouteResult.Forward forward;
    private UpstreamCall call;
    private boolean responseStarted;
    private boolean responseDone;
    private boolean finished;
    private ChannelFuture lastWrite;
    /** Whether part of the answer was written and not yet flushed to the client. */
    private boolean unflushed;
    private String upgrade;

    Exchange(DownstreamHandler connection, ChannelHandlerContext ctx, HttpRequest request, RequestHead head,
             RuntimeSnapshot snapshot, ListenerConfig listener, ProxyOptions options, ListenerStats stats,
             boolean keepAlive, boolean noBody) {
        this.connection = connection;
        this.ctx = ctx;
        this.request = request;
        this.head = head;
        this.snapshot = snapshot;
        this.listener = listener;
        this.options = options;
        this.stats = stats;
        this.clientVersion = request.protocolVersion();
        this.keepAlive = keepAlive;
        this.body = new RequestBody(this, options.retryBufferBytes(), noBody);
        stats.rqActive.inc();
    }

    /** Marks the exchange over, once: {@code downstream_rq_active} counts exchanges until this. */
    private void end() {
        if (!finished) {
            finished = true;
            stats.rqActive.dec();
        }
    }

    /** The request head as it will be sent upstream (origin-form URI, headers as the filters left them). */
    public HttpRequest request() {
        return request;
    }

    /** The request as routing sees it (as the client sent it). */
    public RequestHead head() {
        return head;
    }

    /** Whether the request came on an HTTP/2 stream (it then goes upstream over HTTP/2 too). */
    public boolean http2() {
        return connection.http2();
    }

    public RuntimeSnapshot snapshot() {
        return snapshot;
    }

    public ListenerConfig listener() {
        return listener;
    }

    public ProxyOptions options() {
        return options;
    }

    io.netty.channel.Channel channel() {
        return ctx.channel();
    }

    public EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    public String clientAddress() {
        return connection.clientAddress();
    }

    public RouteResult.Forward forward() {
        return forward;
    }

    void forward(RouteResult.Forward f) {
        this.forward = f;
    }

    RequestBody body() {
        return body;
    }

    HttpMethod method() {
        return request.method();
    }

    HttpVersion clientVersion() {
        return clientVersion;
    }

    boolean responseStarted() {
        return responseStarted;
    }

    /** The exchange is over (answered and read, or its connection is gone). */
    boolean finished() {
        return finished;
    }

    void call(UpstreamCall c) {
        this.call = c;
    }

    /** The protocol the client asks to switch to ({@code websocket}), or null. */
    String upgrade() {
        return upgrade;
    }

    void upgrade(String protocol) {
        this.upgrade = protocol;
    }

    /**
     * The upstream agreed to switch protocols: sends its {@code 101} to the client, then both connections
     * become a byte relay ({@link ByteRelay}). The exchange is over as far as HTTP goes.
     */
    void switchProtocols(HttpResponse switching, io.netty.channel.Channel upstream) {
        responseStarted = true;
        responseDone = true;
        end();
        stats.responded(switching.status().code());
        body.releaseAll();
        FullHttpResponse r = new io.netty.handler.codec.http.DefaultFullHttpResponse(clientVersion, switching.status(),
                ctx.alloc().buffer(0), switching.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
        ctx.writeAndFlush(r).addListener(io.netty.channel.ChannelFutureListener.CLOSE_ON_FAILURE);
        connection.upgraded(this, upstream);
    }

    /**
     * Answers the request from the sidecar itself, unless an answer has started already. A gRPC request gets it as
     * gRPC, as Envoy sends its local replies: a trailers-only 200 whose {@code grpc-status} is the HTTP status's
     * gRPC code (503 is {@code UNAVAILABLE}) and whose {@code grpc-message} is {@code message}.
     */
    public void respond(HttpResponseStatus status, String message) {
        respond(status, message, null);
    }

    void respond(HttpResponseStatus status, String message, java.util.function.Consumer<FullHttpResponse> headers) {
        if (responseStarted || finished) {
            return;
        }
        FullHttpResponse r = GrpcStatus.isGrpc(head)
                ? GrpcStatus.trailersOnly(this, GrpcStatus.fromHttp(status.code()), message)
                : LocalReplies.of(ctx.alloc(), clientVersion, status, message);
        if (headers != null) {
            headers.accept(r);
        }
        respond(r);
    }

    /** Answers the request from the sidecar itself with {@code r}, unless an answer has started already. */
    void respond(FullHttpResponse r) {
        if (responseStarted || finished) {
            r.release();
            return;
        }
        startResponse(r);
        endResponse(ctx.writeAndFlush(r));
    }

    /** Sends the answer's head; adjusts keep-alive to what the client asked. */
    void startResponse(HttpResponse response) {
        responseStarted = true;
        stats.responded(response.status().code());
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientVersion.equals(HttpVersion.HTTP_1_0)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        if (!(response instanceof FullHttpResponse)) {
            lastWrite = ctx.write(response);
            unflushed = true;
        }
    }

    /** Client closes after this answer (e.g. its framing needs the connection's end). */
    void closeAfterResponse() {
        keepAlive = false;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    /** A chunk of the answer, sent at once; the future completes when it reached the client's socket. */
    ChannelFuture writeResponse(HttpContent chunk) {
        ChannelFuture f = ctx.writeAndFlush(chunk);
        lastWrite = f;
        unflushed = false;
        if (chunk instanceof LastHttpContent) {
            endResponse(f);
        }
        return f;
    }

    /**
     * A chunk of the answer that is not the last, sent with the next flush: {@link #flushResponse()} at the end of
     * the upstream read that brought it, so that the chunks of one read go to the client in one write. The future
     * completes when it reached the client's socket.
     */
    ChannelFuture writeResponseLater(HttpContent chunk) {
        ChannelFuture f = ctx.write(chunk);
        lastWrite = f;
        unflushed = true;
        return f;
    }

    /** Sends what was written of the answer and not yet sent: its head, and chunks written for later. */
    void flushResponse() {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    private void endResponse(ChannelFuture last) {
        lastWrite = last;
        responseDone = true;
        last.addListener(f -> {
            if (f.isSuccess()) {
                stats.rqTime(startNanos);
            }
        });
        if (!body.ended()) {
            // The rest of the request is read and dropped; the connection stays only if that ends soon.
            body.discardRest();
        }
        maybeFinish();
    }

    /** The whole request body arrived. */
    void requestEnded() {
        if (call != null) {
            call.onRequestEnded();
        }
        maybeFinish();
    }

    void readMore() {
        connection.readMore(this);
    }

    /** Gives up the connection: the answer cannot be completed or framed. */
    void closeConnection() {
        if (finished) {
            return;
        }
        flushResponse(); // what the client has of the answer goes out before the connection closes
        end();
        body.releaseAll();
        if (call != null) {
            call.cancel();
        }
        connection.exchangeFinished(this, false, lastWrite);
    }

    /** The client went away: stop the upstream side. */
    void clientClosed() {
        if (finished) {
            return;
        }
        end();
        body.releaseAll();
        if (call != null) {
            call.cancel();
        }
    }

    private void maybeFinish() {
        if (finished || !responseDone || !body.ended()) {
            return;
        }
        end();
        body.releaseAll();
        connection.exchangeFinished(this, keepAlive, lastWrite);
    }
}
