package dev.meshdeck.dataplane.grpc;

import dev.meshdeck.dataplane.grpc.internal.ClientStream;
import dev.meshdeck.dataplane.grpc.internal.Http2Connection;
import dev.meshdeck.dataplane.proxy.internal.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC client channel to one server ({@code host:port}), over one HTTP/2 connection in plain text with prior
 * knowledge (h2c, as grpc-java's {@code usePlaintext()}): the connection opens on the first call and again on
 * the first call after it was lost or the server sent GOAWAY. Streaming and unary calls, deadlines
 * ({@code grpc-timeout}), cancellation, HTTP/2 flow control, keepalive PINGs; no compression, no TLS, no name
 * resolution beyond the address's host, no retries (a caller retries). Its own single event loop thread runs
 * the connection and every call's callbacks.
 */
public final class GrpcChannel implements AutoCloseable {
    private final String target;
    private final InetSocketAddress address;
    private final GrpcChannelOptions options;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private Http2Connection connection;
    private boolean closed;

    private GrpcChannel(String target, InetSocketAddress address, GrpcChannelOptions options) {
        this.target = target;
        this.address = address;
        this.options = options;
        Transport transport = Transport.best();
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("meshdeck-grpc", true),
                transport.ioHandlers().get());
        this.loop = group.next();
        this.bootstrap = new Bootstrap().group(loop).channel(transport.socketChannel());
    }

    /**
     * A channel to {@code target}, {@code host:port} ({@code [v6-address]:port} for an IPv6 address); it connects
     * on the first call.
     */
    public static GrpcChannel forTarget(String target, GrpcChannelOptions options) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(options, "options");
        return new GrpcChannel(target, parse(target), options);
    }

    private static InetSocketAddress parse(String target) {
        int colon = target.lastIndexOf(':');
        String host = colon < 0 ? "" : target.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            host = "";
        }
        int port = -1;
        try {
            port = colon < 0 ? -1 : Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException e) {
            // below
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("gRPC target " + target
                    + " (expected: host:port, or [address]:port for IPv6, port 1..65535)");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** The server, as given. */
    public String target() {
        return target;
    }

    /**
     * The channel's event loop, for short tasks that must not block (such as scheduling a reconnect); it stops
     * with {@link #close()}.
     */
    public ScheduledExecutorService executor() {
        return loop;
    }

    /**
     * Starts a call of {@code method}: the stream opens (and the connection if need be) on the event loop; what
     * is sent before waits for it.
     *
     * @param deadline how long the whole call may take (null: no deadline); past it the call ends with
     *                 {@code DEADLINE_EXCEEDED} and its stream is reset
     */
    public <Q, R> GrpcCall<Q> start(GrpcMethod<Q, R> method, Duration deadline, GrpcCall.Listener<R> listener) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(listener, "listener");
        if (deadline != null && deadline.isNegative()) {
            throw new IllegalArgumentException("deadline: " + deadline + " (expected: zero or more, or none)");
        }
        ClientStream<Q, R> call = new ClientStream<>(method, listener, loop, options, ByteBufAllocator.DEFAULT, target,
                deadline);
        loop.execute(() -> {
            if (closed) {
                call.fail(GrpcStatus.of(GrpcStatus.Code.UNAVAILABLE, "the channel to " + target + " is closed"));
            } else {
                call.start(connection());
            }
        });
        return call;
    }

    /** A unary call: the one response, or a {@link GrpcException} with the call's status. */
    public <Q, R> CompletableFuture<R> unary(GrpcMethod<Q, R> method, Q request, Duration deadline) {
        CompletableFuture<R> result = new CompletableFuture<>();
        GrpcCall<Q> call = start(method, deadline, new GrpcCall.Listener<>() {
            private R response;
            private int responses;

            @Override
            public void onMessage(R message) {
                response = message;
                responses++;
            }

            @Override
            public void onClose(GrpcStatus status) {
                if (!status.isOk()) {
                    result.completeExceptionally(status.asException());
                } else if (responses != 1) {
                    result.completeExceptionally(GrpcStatus.of(GrpcStatus.Code.INTERNAL, "the server answered "
                            + responses + " messages to the unary call " + method.fullName() + " (expected: 1)")
                            .asException());
                } else {
                    result.complete(response);
                }
            }
        });
        call.send(request);
        call.halfClose();
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                call.cancel("the caller cancelled the call");
            }
        });
        return result;
    }

    /**
     * A unary call that waits for its response (not from the channel's event loop).
     *
     * @throws GrpcException the call's status when it is not OK
     */
    public <Q, R> R blockingUnary(GrpcMethod<Q, R> method, Q request, Duration deadline) {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("a blocking gRPC call on the channel's own event loop would never end");
        }
        CompletableFuture<R> f = unary(method, request, deadline);
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GrpcException g) {
                throw new GrpcException(g.status(), g);
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            throw GrpcStatus.of(GrpcStatus.Code.CANCELLED, "interrupted while waiting for " + method.fullName())
                    .asException(e);
        }
    }

    private Http2Connection connection() {
        if (connection == null || !connection.acceptsStreams()) {
            connection = new Http2Connection(bootstrap, address, target, options, loop);
        }
        return connection;
    }

    /** Closes the connection (open calls end {@code UNAVAILABLE}) and stops the event loop. */
    @Override
    public void close() {
        if (!loop.isShuttingDown()) {
            loop.execute(() -> {
                closed = true;
                if (connection != null) {
                    connection.close("the channel to " + target + " was closed");
                }
            });
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
