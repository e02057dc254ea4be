package dev.meshdeck.dataplane.proxy.support;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small real HTTP/1.1 server for proxy tests, on 127.0.0.1 and an ephemeral port. It counts the
 * connections it accepted and the body bytes it received (streamed, never held), and answers by path:
 * {@code /headers} lists the request's headers, {@code /status/N} answers N, {@code /slow} never answers,
 * {@code /delay/MS} answers after MS milliseconds,
 * {@code /flaky} answers 503 to every other request, anything else says hello with the backend's name.
 */
public final class TestBackend implements AutoCloseable {
    private final String name;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bodyBytes = new AtomicLong();
    private final AtomicInteger flakyCalls = new AtomicInteger();
    private final java.util.List<String> hosts = new java.util.concurrent.CopyOnWriteArrayList<>();

    public TestBackend(String name) {
        this.name = name;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        open.incrementAndGet();
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        ch.pipeline().addLast(new HttpServerCodec(), new Handler());
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    public int port() {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    public String name() {
        return name;
    }

    public int connections() {
        return connections.get();
    }

    /** Connections open now. */
    public int openConnections() {
        return open.get();
    }

    public int requests() {
        return requests.get();
    }

    /** The Host header of each request received, in order. */
    public java.util.List<String> hosts() {
        return java.util.List.copyOf(hosts);
    }

    public long bodyBytes() {
        return bodyBytes.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Streams {@code remaining} bytes, the next chunk only once the previous one was written. */
    private static void download(ChannelHandlerContext ctx, long total) {
        io.netty.handler.codec.http.HttpResponse head = new io.netty.handler.codec.http.DefaultHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, total);
        ctx.write(head);
        writeChunk(ctx, total);
    }

    private static void writeChunk(ChannelHandlerContext ctx, long remaining) {
        if (remaining == 0) {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        int n = (int) Math.min(64 * 1024, remaining);
        io.netty.buffer.ByteBuf b = ctx.alloc().buffer(n);
        b.writeZero(n);
        ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultHttpContent(b)).addListener(f -> {
            if (f.isSuccess()) {
                writeChunk(ctx, remaining - n);
            } else {
                ctx.close();
            }
        });
    }

    private final class Handler extends SimpleChannelInboundHandler<HttpObject> {
        private HttpRequest request;
        private long received;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest r) {
                request = r;
                received = 0;
                requests.incrementAndGet();
                hosts.add(String.valueOf(r.headers().get(HttpHeaderNames.HOST)));
            }
            if (msg instanceof HttpContent c) {
                int n = c.content().readableBytes();
                received += n;
                bodyBytes.addAndGet(n);
            }
            if (msg instanceof LastHttpContent) {
                answer(ctx);
            }
        }

        private void answer(ChannelHandlerContext ctx) {
            String path = request.uri();
            if (path.startsWith("/slow")) {
                return;
            }
            if (path.startsWith("/delay/")) {
                ctx.executor().schedule(() -> {
                    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            ByteBufUtil.writeUtf8(ctx.alloc(), "delayed answer from " + name + "\n"));
                    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
                    ctx.writeAndFlush(r);
                }, Long.parseLong(path.substring(7)), java.util.concurrent.TimeUnit.MILLISECONDS);
                return;
            }
            if (path.startsWith("/download/")) {
                download(ctx, Long.parseLong(path.substring(10)));
                return;
            }
            if (path.startsWith("/head-then-close")) {
                // A head that promises 100 bytes, then the connection ends: no body comes.
                io.netty.handler.codec.http.HttpResponse head = new io.netty.handler.codec.http.DefaultHttpResponse(
                        HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 100);
                ctx.writeAndFlush(head).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (path.startsWith("/head-then-body-after/")) {
                // The head at once, its (chunked) body only after the given milliseconds: a stream of events.
                io.netty.handler.codec.http.HttpResponse head = new io.netty.handler.codec.http.DefaultHttpResponse(
                        HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, io.netty.handler.codec.http.HttpHeaderValues.CHUNKED);
                head.headers().set("x-backend", name);
                ctx.writeAndFlush(head);
                ctx.executor().schedule(() -> {
                    ctx.write(new io.netty.handler.codec.http.DefaultHttpContent(ByteBufUtil.writeUtf8(ctx.alloc(), "late\n")));
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                }, Long.parseLong(path.substring(22)), java.util.concurrent.TimeUnit.MILLISECONDS);
                return;
            }
            HttpResponseStatus status = HttpResponseStatus.OK;
            String body;
            if (path.startsWith("/headers")) {
                StringBuilder sb = new StringBuilder("uri: " + path + "\n");
                for (Map.Entry<String, String> e : request.headers()) {
                    sb.append(e.getKey().toLowerCase(java.util.Locale.ROOT)).append(": ").append(e.getValue()).append('\n');
                }
                body = sb.toString();
            } else if (path.startsWith("/status/")) {
                status = HttpResponseStatus.valueOf(Integer.parseInt(path.substring(8)));
                body = "status " + status.code() + " from " + name + "\n";
            } else if (path.startsWith("/flaky")) {
                if (flakyCalls.getAndIncrement() % 2 == 0) {
                    status = HttpResponseStatus.SERVICE_UNAVAILABLE;
                }
                body = "flaky " + status.code() + " from " + name + "\n";
            } else {
                body = "hello from " + name + ", received " + received + " bytes\n";
            }
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    ByteBufUtil.writeUtf8(ctx.alloc(), body));
            r.headers().set("x-backend", name);
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            var f = ctx.writeAndFlush(r);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
