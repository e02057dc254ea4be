package dev.meshdeck.dataplane.grpc;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A raw HTTP/2 server (h2c, Netty's frame codec) on 127.0.0.1 that answers each stream as a test scripts it,
 * so that a test can send what a well-behaved gRPC server would not. It records the request headers, the
 * request body bytes, the RST_STREAMs and PINGs it received and the connections it accepted.
 */
public final class RawHttp2Server implements AutoCloseable {
    /** What the server does on a stream; {@code ctx} is the stream's. */
    public interface Script {
        void onHeaders(ChannelHandlerContext ctx, Http2HeadersFrame headers);

        default void onData(ChannelHandlerContext ctx, Http2DataFrame data) {
        }
    }

    public final List<Http2Headers> requests = new CopyOnWriteArrayList<>();
    public final List<Long> resets = new CopyOnWriteArrayList<>();
    public final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    public final AtomicInteger connections = new AtomicInteger();
    public final AtomicInteger pings = new AtomicInteger();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    public RawHttp2Server(Script script) {
        this(b -> b, script);
    }

    public RawHttp2Server(UnaryOperator<Http2FrameCodecBuilder> tune, Script script) {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(tune.apply(Http2FrameCodecBuilder.forServer()).build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                                    @Override
                                    protected void initChannel(Http2StreamChannel s) {
                                        s.pipeline().addLast(new StreamHandler(script));
                                    }
                                }),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        if (msg instanceof Http2PingFrame p && !p.ack()) {
                                            pings.incrementAndGet();
                                        }
                                        ReferenceCountUtil.release(msg);
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    public int port() {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    public String target() {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class StreamHandler extends ChannelInboundHandlerAdapter {
        private final Script script;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        StreamHandler(Script script) {
            this.script = script;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame h) {
                    requests.add(h.headers());
                    script.onHeaders(ctx, h);
                } else if (msg instanceof Http2DataFrame d) {
                    body.writeBytes(ByteBufUtil.getBytes(d.content()));
                    if (d.isEndStream()) {
                        bodies.add(body.toByteArray());
                    }
                    script.onData(ctx, d);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ResetFrame r) {
                resets.add(r.errorCode());
            }
            ReferenceCountUtil.release(evt);
        }
    }

    // ---- what scripts send ---------------------------------------------------------------------------------

    public static Http2Headers okHeaders() {
        return new DefaultHttp2Headers().status("200").add("content-type", "application/grpc");
    }

    public static Http2Headers trailers(int grpcStatus, String percentEncodedMessage) {
        Http2Headers t = new DefaultHttp2Headers().add("grpc-status", Integer.toString(grpcStatus));
        if (percentEncodedMessage != null) {
            t.add("grpc-message", percentEncodedMessage);
        }
        return t;
    }

    public static void headers(ChannelHandlerContext ctx, Http2Headers headers, boolean endStream) {
        ctx.writeAndFlush(new DefaultHttp2HeadersFrame(headers, endStream));
    }

    public static void data(ChannelHandlerContext ctx, ByteBuf bytes) {
        ctx.writeAndFlush(new DefaultHttp2DataFrame(bytes, false));
    }

    /** {@code messages} as gRPC frames them (uncompressed), one after the other. */
    public static ByteBuf framed(String... messages) {
        ByteBuf out = Unpooled.buffer();
        for (String m : messages) {
            byte[] b = m.getBytes(StandardCharsets.UTF_8);
            out.writeByte(0).writeInt(b.length).writeBytes(b);
        }
        return out;
    }
}
