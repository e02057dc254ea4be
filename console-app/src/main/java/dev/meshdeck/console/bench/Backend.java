package dev.meshdeck.console.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The app behind the proxies: a small HTTP/1.1 server on 127.0.0.1 that answers every request with 200 and a
 * fixed body (1 KB in the benchmark), keeping connections alive. It decodes requests with Netty's codec and
 * writes one pre-encoded response, so that it costs as little as possible next to the proxies.
 */
public final class Backend implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel server;
    private final ByteBuf responseBytes;

    private Backend(EventLoopGroup group, Channel server, ByteBuf responseBytes) {
        this.group = group;
        this.server = server;
        this.responseBytes = responseBytes;
    }

    /**
     * Starts the backend on an ephemeral port.
     *
     * @param bodyBytes the body size of every response
     * @param threads   event loop threads
     */
    public static Backend start(int bodyBytes, int threads) throws InterruptedException {
        if (bodyBytes < 0) {
            throw new IllegalArgumentException("bodyBytes: " + bodyBytes + " (expected: 0 or more)");
        }
        byte[] body = new byte[bodyBytes];
        Arrays.fill(body, (byte) 'x');
        byte[] head = ("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: " + bodyBytes + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        // Every answer writes a duplicate of the same bytes; they are released when the backend has stopped.
        ByteBuf responseBytes = Unpooled.directBuffer(head.length + bodyBytes).writeBytes(head).writeBytes(body);
        ByteBuf response = Unpooled.unreleasableBuffer(responseBytes);
        NettyTransport transport = NettyTransport.best();
        EventLoopGroup group = transport.newGroup(threads);
        try {
            Channel server = new ServerBootstrap().group(group).channel(transport.serverChannel())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpRequestDecoder(), new Responder(response));
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            return new Backend(group, server, responseBytes);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully();
            responseBytes.release();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        responseBytes.release();
    }

    /** Answers each request once its last part arrived; closes when the client asked to. */
    private static final class Responder extends SimpleChannelInboundHandler<HttpObject> {
        private final ByteBuf response;
        private boolean close;

        Responder(ByteBuf response) {
            this.response = response;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest request) {
                close = !HttpUtil.isKeepAlive(request)
                        || request.headers().contains(HttpHeaderNames.CONNECTION, "close", true);
                if (request.decoderResult().isFailure()) {
                    ctx.close();
                    return;
                }
            }
            if (msg instanceof LastHttpContent) {
                ctx.write(response.duplicate());
                if (close) {
                    ctx.flush();
                    ctx.close();
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
