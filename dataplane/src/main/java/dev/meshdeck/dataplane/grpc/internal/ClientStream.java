package dev.meshdeck.dataplane.grpc.internal;

import dev.meshdeck.dataplane.grpc.GrpcCall;
import dev.meshdeck.dataplane.grpc.GrpcChannelOptions;
import dev.meshdeck.dataplane.grpc.GrpcException;
import dev.meshdeck.dataplane.grpc.GrpcMethod;
import dev.meshdeck.dataplane.grpc.GrpcStatus;
import dev.meshdeck.dataplane.grpc.GrpcStatus.Code;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One call on one HTTP/2 stream: it writes the request headers and the framed messages (only while the stream
 * is writable, holding back a bounded amount otherwise), reads the response headers, messages and trailers,
 * and ends exactly once with a status — from the trailers, from the HTTP status, from an RST_STREAM, GOAWAY
 * or lost connection ({@code UNAVAILABLE}), from its deadline or from a cancel (both reset the stream).
 * Its state lives on the channel's event loop; the {@link GrpcCall} methods hop there.
 */
public final class ClientStream<Q, R> extends ChannelInboundHandlerAdapter implements GrpcCall<Q> {
    private static final Logger LOG = System.getLogger(ClientStream.class.getName());
    /** What the client says it is ({@code user-agent}). */
    static final String USER_AGENT = "meshdeck-grpc/0.1";

    private final GrpcMethod<Q, R> method;
    private final Listener<R> listener;
    private final EventLoop loop;
    private final GrpcChannelOptions options;
    private final ByteBufAllocator alloc;
    private final String authority;
    private final Duration deadline;
    private final long deadlineAt;
    private final MessageDeframer deframer;
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private final ChannelFutureListener failOnWriteError = this::checkWrite;
    private long pendingBytes;
    private boolean halfCloseRequested;
    private boolean halfClosed;
    private Http2Connection connection;
    private Http2StreamChannel stream;
    private ScheduledFuture<?> deadlineTimer;
    private boolean done;
    private int httpStatus;

    public ClientStream(GrpcMethod<Q, R> method, Listener<R> listener, EventLoop loop, GrpcChannelOptions options,
                        ByteBufAllocator alloc, String authority, Duration deadline) {
        this.method = method;
        this.listener = listener;
        this.loop = loop;
        this.options = options;
        this.alloc = alloc;
        this.authority = authority;
        this.deadline = deadline;
        this.deadlineAt = deadline == null ? 0 : System.nanoTime() + deadline.toNanos();
        this.deframer = new MessageDeframer(options.maxInboundMessageBytes(), alloc);
    }

    /** Opens the stream on {@code conn} (on the event loop). */
    public void start(Http2Connection conn) {
        connection = conn;
        if (deadline != null) {
            long left = deadlineAt - System.nanoTime();
            if (left <= 0) {
                finish(deadlineExceeded());
                return;
            }
            deadlineTimer = loop.schedule(() -> finish(deadlineExceeded()), left, TimeUnit.NANOSECONDS);
        }
        conn.openStream(this).addListener((Future<Http2StreamChannel> f) -> opened(f));
    }

    /** Ends the call with {@code status} before it started (the channel is closed). */
    public void fail(GrpcStatus status) {
        onLoop(() -> finish(status));
    }

    private void opened(Future<Http2StreamChannel> f) {
        if (!f.isSuccess()) {
            finish(GrpcStatus.of(Code.UNAVAILABLE, connection.endReason()));
            return;
        }
        Http2StreamChannel s = f.getNow();
        if (done) {
            s.close();
            return;
        }
        stream = s;
        stream.write(new DefaultHttp2HeadersFrame(requestHeaders(), false)).addListener(failOnWriteError);
        drain();
        stream.flush();
    }

    private Http2Headers requestHeaders() {
        Http2Headers h = new DefaultHttp2Headers()
                .method("POST")
                .scheme("http")
                .path(method.path())
                .authority(authority);
        if (deadline != null) {
            h.add("grpc-timeout", WireStatus.timeout(deadlineAt - System.nanoTime()));
        }
        return h.add("content-type", "application/grpc")
                .add("te", "trailers")
                .add("user-agent", USER_AGENT);
    }

    // ---- this side ---------------------------------------------------------------------------------------

    @Override
    public void send(Q message) {
        ByteBuf framed;
        try {
            framed = MessageFramer.frame(alloc, method.requestEncoder(), message);
        } catch (IOException | RuntimeException e) {
            onLoop(() -> finish(GrpcStatus.of(Code.INTERNAL, "cannot encode a request of " + method.fullName() + ": "
                    + Http2Connection.describe(e))));
            return;
        }
        onLoop(() -> {
            if (done || halfCloseRequested) {
                framed.release();
                return;
            }
            pending.add(framed);
            pendingBytes += framed.readableBytes();
            if (pendingBytes > options.maxBufferedOutboundBytes()) {
                finish(GrpcStatus.of(Code.RESOURCE_EXHAUSTED, pendingBytes + " request bytes wait for HTTP/2 flow"
                        + " control, more than the limit of " + options.maxBufferedOutboundBytes()
                        + " bytes: the server does not read"));
                return;
            }
            if (stream != null) {
                drain();
                stream.flush();
            }
        });
    }

    @Override
    public void halfClose() {
        onLoop(() -> {
            if (!done && !halfCloseRequested) {
                halfCloseRequested = true;
                if (stream != null) {
                    drain();
                    stream.flush();
                }
            }
        });
    }

    @Override
    public void cancel(String reason) {
        onLoop(() -> finish(GrpcStatus.of(Code.CANCELLED, reason)));
    }

    /** Writes what flow control lets through (the caller flushes). */
    private void drain() {
        while (!done && !pending.isEmpty() && stream.isWritable()) {
            ByteBuf b = pending.poll();
            pendingBytes -= b.readableBytes();
            stream.write(new DefaultHttp2DataFrame(b, false)).addListener(failOnWriteError);
        }
        if (!done && pending.isEmpty() && halfCloseRequested && !halfClosed) {
            halfClosed = true;
            stream.write(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true)).addListener(failOnWriteError);
        }
    }

    private void checkWrite(ChannelFuture f) {
        if (!f.isSuccess()) {
            finish(GrpcStatus.of(Code.UNAVAILABLE, "cannot send to the server: " + (f.channel().parent().isActive()
                    ? Http2Connection.describe(f.cause()) : connection.endReason())));
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (stream != null) {
            drain();
            stream.flush();
        }
        super.channelWritabilityChanged(ctx);
    }

    // ---- the server's side -------------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (done) {
                return;
            }
            if (msg instanceof Http2HeadersFrame h) {
                onHeaders(h.headers(), h.isEndStream());
            } else if (msg instanceof Http2DataFrame d) {
                onData(d.content(), d.isEndStream());
            }
        } catch (GrpcException e) {
            finish(e.status());
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHeaders(Http2Headers headers, boolean endStream) {
        if (httpStatus == 0) {
            int status = parseStatus(headers.status());
            if (status >= 100 && status < 200 && !endStream) {
                return; // informational
            }
            httpStatus = status;
            if (endStream) {
                trailers(headers); // Trailers-Only
            } else if (status != 200) {
                finish(WireStatus.fromHttp(status));
            } else if (!isGrpc(headers.get("content-type"))) {
                finish(GrpcStatus.of(Code.UNKNOWN, "the server answered content-type " + headers.get("content-type")
                        + " (expected: application/grpc)"));
            }
            return;
        }
        if (!endStream) {
            finish(GrpcStatus.of(Code.INTERNAL, "the server sent a second HEADERS frame without END_STREAM"));
            return;
        }
        trailers(headers);
    }

    private void trailers(Http2Headers trailers) {
        GrpcStatus status = WireStatus.fromTrailers(trailers, trailers.status() == null ? httpStatus : parseStatus(trailers.status()));
        if (status.isOk() && deframer.midMessage()) {
            status = GrpcStatus.of(Code.INTERNAL, "the stream ended inside a message (" + deframer.progress() + ")");
        }
        if (!halfClosed && stream != null) {
            // The server is done first: let it free the stream (PROTOCOL-HTTP2.md, Early Server Closure).
            stream.write(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));
        }
        finish(status);
    }

    private void onData(ByteBuf content, boolean endStream) {
        if (httpStatus == 0) {
            finish(GrpcStatus.of(Code.INTERNAL, "the server sent DATA before its response headers"));
            return;
        }
        deframer.feed(content, this::deliver);
        if (endStream && !done) {
            finish(GrpcStatus.of(Code.INTERNAL, "the server ended the stream without trailers (no grpc-status)"));
        }
    }

    private void deliver(ByteBuf message) {
        if (done) {
            return;
        }
        R decoded;
        try {
            decoded = method.responseDecoder().decode(new ByteBufInputStream(message));
        } catch (IOException | RuntimeException e) {
            throw GrpcStatus.of(Code.INTERNAL, "cannot decode a response of " + method.fullName() + ": "
                    + Http2Connection.describe(e)).asException(e);
        }
        try {
            listener.onMessage(decoded);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the listener of " + method.fullName() + " failed; cancelling the call", e);
            throw GrpcStatus.of(Code.CANCELLED, "the call's listener failed: " + Http2Connection.describe(e))
                    .asException(e);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        try {
            if (evt instanceof Http2ResetFrame rst) {
                finish(WireStatus.fromReset(rst.errorCode()));
            } else if (evt instanceof Http2GoAwayFrame g) {
                finish(GrpcStatus.of(Code.UNAVAILABLE, "the server sent GOAWAY before it took this call's stream"
                        + " (last stream " + g.lastStreamId() + ")"));
            }
        } finally {
            ReferenceCountUtil.release(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        finish(GrpcStatus.of(Code.UNAVAILABLE, connection.endReason()));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        finish(GrpcStatus.of(Code.INTERNAL, "stream error: " + Http2Connection.describe(cause)));
    }

    // ---- the end -----------------------------------------------------------------------------------------

    private void finish(GrpcStatus status) {
        if (done) {
            return;
        }
        done = true;
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
        }
        for (ByteBuf b; (b = pending.poll()) != null; ) {
            b.release();
        }
        pendingBytes = 0;
        deframer.close();
        if (stream != null) {
            stream.close(); // RST_STREAM CANCEL unless the server already ended the stream
        }
        try {
            listener.onClose(status);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the listener of " + method.fullName() + " failed on close", e);
        }
    }

    private GrpcStatus deadlineExceeded() {
        return GrpcStatus.of(Code.DEADLINE_EXCEEDED, "deadline of " + deadline.toMillis() + " ms exceeded");
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    private static int parseStatus(CharSequence status) {
        if (status == null) {
            throw GrpcStatus.of(Code.INTERNAL, "the server's response headers have no :status").asException();
        }
        try {
            return Integer.parseInt(status.toString());
        } catch (NumberFormatException e) {
            throw GrpcStatus.of(Code.INTERNAL, "invalid :status " + status).asException();
        }
    }

    private static boolean isGrpc(CharSequence contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.toString().toLowerCase(Locale.ROOT);
        return t.equals("application/grpc") || t.startsWith("application/grpc+") || t.startsWith("application/grpc;");
    }
}
