package dev.meshdeck.dataplane.grpc.internal;

import dev.meshdeck.dataplane.grpc.GrpcChannelOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/2 connection (h2c with prior knowledge) to the server, that calls open their streams on. It
 * connects when made; calls that come while it connects wait for it. It takes no new stream once closed or
 * after the server's GOAWAY (a draining connection closes when its last stream does), and it remembers why it
 * ended so that its calls can say.
 */
public final class Http2Connection {
    private final String target;
    private final EventLoop loop;
    private final Promise<Channel> ready;
    private Http2FrameCodec codec;
    private Channel channel;
    private boolean goAway;
    private String endReason;

    /** Starts connecting to {@code address} ({@code target} as the user wrote it, for messages). */
    public Http2Connection(Bootstrap base, SocketAddress address, String target, GrpcChannelOptions options,
                           EventLoop loop) {
        this.target = target;
        this.loop = loop;
        this.ready = loop.newPromise();
        Bootstrap b = base.clone(loop)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        init(ch, options);
                    }
                });
        b.connect(address).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                endReason = "cannot connect to " + target + ": " + describe(f.cause());
                ready.tryFailure(f.cause());
                return;
            }
            channel = f.channel();
            // The connection's receive window, as each stream's (SETTINGS_INITIAL_WINDOW_SIZE covers only those).
            int delta = options.flowControlWindow() - Http2CodecUtil.DEFAULT_WINDOW_SIZE;
            if (delta > 0) {
                channel.write(new DefaultHttp2WindowUpdateFrame(delta));
            }
            channel.flush();
            ready.trySuccess(channel);
        });
    }

    private void init(SocketChannel ch, GrpcChannelOptions options) {
        codec = Http2FrameCodecBuilder.forClient()
                .initialSettings(Http2Settings.defaultSettings().pushEnabled(false)
                        .initialWindowSize(options.flowControlWindow()))
                .build();
        codec.connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                if (goAway && codec.connection().numActiveStreams() == 0) {
                    loop.execute(() -> ch.close());
                }
            }
        });
        if (!options.keepAliveTime().isZero()) {
            ch.pipeline().addLast("keepalive", new KeepAlive(options.keepAliveTime().toNanos(),
                    options.keepAliveTimeout().toNanos(), () -> codec.connection().numActiveStreams() > 0,
                    reason -> {
                        end(reason);
                        ch.close();
                    }));
        }
        ch.pipeline()
                .addLast("end-reason", new EndReason())
                .addLast("http2", codec)
                .addLast("multiplex", new Http2MultiplexHandler(new RefusePushedStreams()))
                .addLast("goaway", new GoAwayTracker());
    }

    /** Whether a new call may use this connection (connecting, or connected and not draining). */
    public boolean acceptsStreams() {
        return endReason == null && !goAway && (!ready.isDone() || ready.isSuccess() && channel.isActive());
    }

    /** Opens a stream whose child channel {@code handler} serves, once connected. */
    public Future<Http2StreamChannel> openStream(ChannelHandler handler) {
        Promise<Http2StreamChannel> opened = loop.newPromise();
        ready.addListener(f -> {
            if (!f.isSuccess()) {
                opened.tryFailure(f.cause());
            } else {
                new Http2StreamChannelBootstrap(channel).handler(handler).open(opened);
            }
        });
        return opened;
    }

    /** Why the connection ended or stopped taking streams; a generic sentence while it has not. */
    public String endReason() {
        return endReason != null ? endReason : "the connection to " + target + " closed";
    }

    /** Closes the connection; its calls end. */
    public void close(String reason) {
        end(reason);
        ready.addListener(f -> {
            if (f.isSuccess()) {
                channel.close();
            }
        });
    }

    private void end(String reason) {
        if (endReason == null) {
            endReason = reason;
        }
    }

    static String describe(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getMessage() == null) {
            c = c.getCause();
        }
        return c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
    }

    /** Before the HTTP/2 codec: sees the connection end and fail before the streams do. */
    private final class EndReason extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            end("the connection to " + target + " failed: " + describe(cause));
            super.exceptionCaught(ctx, cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            end("the connection to " + target + " closed");
            super.channelInactive(ctx);
        }
    }

    /** After the multiplexer: connection-level frames it passes on. */
    private final class GoAwayTracker extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2GoAwayFrame g) {
                    goAway = true;
                    Http2Error error = Http2Error.valueOf(g.errorCode());
                    String debug = g.content().toString(StandardCharsets.UTF_8);
                    end("the server sent GOAWAY (" + (error == null ? "error code " + g.errorCode() : error.name())
                            + (debug.isEmpty() ? "" : ": " + debug) + ")");
                    if (codec.connection().numActiveStreams() == 0) {
                        ctx.close();
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            end("the connection to " + target + " failed: " + describe(cause));
            ctx.close();
        }
    }

    /** Push is off in our SETTINGS; a server that pushes anyway gets its stream closed. */
    @ChannelHandler.Sharable
    private static final class RefusePushedStreams extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.channel().close();
        }
    }
}
