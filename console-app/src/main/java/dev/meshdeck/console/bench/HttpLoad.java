package dev.meshdeck.console.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * An HTTP/1.1 load generator on one Netty event loop thread: a fixed number of keep-alive connections, one request
 * in flight on each (no pipelining), {@code GET} requests with a given {@code Host}.
 *
 * <p>Open loop: requests are due at a fixed rate, spread round-robin over the connections; a request due while its
 * connection is still busy waits for it, and every latency counts from the time the request was <em>due</em>, so
 * that a stall shows in the figures instead of slowing the load down (no coordinated omission). Closed loop: every
 * connection sends its next request as soon as the previous answer arrived, to find the maximum throughput.
 */
public final class HttpLoad implements AutoCloseable {
    /** Latencies above this (an hour) are clamped. */
    private static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);

    /** How the load is driven. */
    public enum Mode { OPEN_LOOP, CLOSED_LOOP }

    /**
     * One load run.
     *
     * @param mode         open or closed loop
     * @param rate         requests per second (open loop only)
     * @param connections  keep-alive connections
     * @param warmUp       load before the measured window, not recorded
     * @param duration     the measured window
     * @param drainTimeout how long to wait for the answers still due after the window; later ones are errors
     */
    public record Settings(Mode mode, double rate, int connections, Duration warmUp, Duration duration,
                           Duration drainTimeout) {
        public Settings {
            Objects.requireNonNull(mode, "mode");
            if (mode == Mode.OPEN_LOOP && !(rate > 0)) {
                throw new IllegalArgumentException("rate: " + rate + " (expected: more than 0 requests/s)");
            }
            if (connections < 1) {
                throw new IllegalArgumentException("connections: " + connections + " (expected: 1 or more)");
            }
            Objects.requireNonNull(warmUp, "warmUp");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(drainTimeout, "drainTimeout");
            if (warmUp.isNegative()) {
                throw new IllegalArgumentException("warmUp: " + warmUp + " (expected: 0 or more)");
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration: " + duration + " (expected: more than 0)");
            }
        }
    }

    private final NettyTransport transport = NettyTransport.best();
    private final EventLoopGroup group = transport.newGroup(1);

    /** Runs one load against {@code target}, sending {@code Host: host}; returns when it is over. */
    public LoadResult run(InetSocketAddress target, String host, Settings settings) throws InterruptedException {
        return run(target, host, settings, () -> { }, () -> { });
    }

    /**
     * Runs one load, calling {@code atWindowStart} and {@code atWindowEnd} (on the load's thread: they must be
     * quick) when the measured window opens and closes.
     */
    public LoadResult run(InetSocketAddress target, String host, Settings settings, Runnable atWindowStart,
                          Runnable atWindowEnd) throws InterruptedException {
        ByteBuf bytes = Unpooled.directBuffer().writeBytes(
                ("GET /bench HTTP/1.1\r\nhost: " + host + "\r\nuser-agent: meshdeck-bench\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        EventLoop loop = group.next();
        // Every request writes a duplicate of the same bytes; they are released once every connection has closed.
        Run run = new Run(loop, target, Unpooled.unreleasableBuffer(bytes), settings, atWindowStart, atWindowEnd);
        long limit = settings.warmUp().plus(settings.duration()).plus(settings.drainTimeout()).toMillis() + 10_000;
        try {
            Bootstrap bootstrap = run.bootstrap();
            for (int i = 0; i < settings.connections(); i++) {
                Connection c = new Connection(run);
                run.connections[i] = c;
                try {
                    c.channel = bootstrap.clone().handler(c.initializer()).connect(target).sync().channel();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot connect to " + target + ": " + e.getMessage(), e);
                }
            }
            loop.execute(run::start);
            return run.done.get(limit, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the load run failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the load run did not end within " + limit + " ms", e);
        } finally {
            run.closeAll();
            bytes.release();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The state of one run; touched only on its event loop once started. */
    private final class Run {
        final EventLoop loop;
        final InetSocketAddress target;
        final ByteBuf request;
        final Settings settings;
        final Connection[] connections;
        final Histogram latency = new Histogram(HIGHEST_NANOS, 3);
        final Timeline timeline = new Timeline();
        final CompletableFuture<LoadResult> done = new CompletableFuture<>();
        final double interval;
        final Runnable atWindowStart;
        final Runnable atWindowEnd;
        long start;
        long windowStart;
        long windowEnd;
        long sent;
        long completed;
        long errors;
        boolean pacing;
        boolean windowClosed;

        Run(EventLoop loop, InetSocketAddress target, ByteBuf request, Settings settings, Runnable atWindowStart,
            Runnable atWindowEnd) {
            this.atWindowStart = atWindowStart;
            this.atWindowEnd = atWindowEnd;
            this.loop = loop;
            this.target = target;
            this.request = request;
            this.settings = settings;
            this.connections = new Connection[settings.connections()];
            this.interval = settings.mode() == Mode.OPEN_LOOP ? 1e9 / settings.rate() : 0;
        }

        Bootstrap bootstrap() {
            return new Bootstrap().group(loop).channel(transport.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);
        }

        void start() {
            start = System.nanoTime();
            windowStart = start + settings.warmUp().toNanos();
            windowEnd = windowStart + settings.duration().toNanos();
            loop.schedule(atWindowStart, windowStart - start, TimeUnit.NANOSECONDS);
            loop.schedule(this::closeWindow, windowEnd - start, TimeUnit.NANOSECONDS);
            if (settings.mode() == Mode.OPEN_LOOP) {
                pacing = true;
                pace();
            } else {
                for (Connection c : connections) {
                    c.submit(start);
                }
                loop.schedule(this::checkDone, windowEnd - start, TimeUnit.NANOSECONDS);
            }
            loop.schedule(this::giveUp, windowEnd - start + settings.drainTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }

        long due(long k) {
            return start + (long) (k * interval);
        }

        /** Sends every request that is due, then sleeps until the next one is. */
        void pace() {
            long now = System.nanoTime();
            long next = due(sent);
            while (next <= now && next < windowEnd) {
                connections[(int) (sent % connections.length)].submit(next);
                sent++;
                next = due(sent);
            }
            if (next >= windowEnd) {
                pacing = false;
                checkDone();
            } else {
                loop.schedule(this::pace, next - now, TimeUnit.NANOSECONDS);
            }
        }

        boolean inWindow(long t) {
            return t >= windowStart && t < windowEnd;
        }

        void answered(long from, long now, boolean ok) {
            if (done.isDone()) {
                return; // a late answer: the result has been handed over
            }
            int second = second(settings.mode() == Mode.OPEN_LOOP ? from : now);
            if (ok) {
                timeline.answered(second, now - from);
            } else {
                timeline.failed(second);
            }
            boolean counts = settings.mode() == Mode.OPEN_LOOP ? inWindow(from) : inWindow(now);
            if (!counts) {
                return;
            }
            if (ok) {
                completed++;
                latency.recordValue(Math.min(HIGHEST_NANOS, now - from));
            } else {
                errors++;
            }
        }

        void failed(long from) {
            if (done.isDone()) {
                return;
            }
            timeline.failed(second(settings.mode() == Mode.OPEN_LOOP ? from : System.nanoTime()));
            if (settings.mode() == Mode.OPEN_LOOP ? inWindow(from) : System.nanoTime() < windowEnd) {
                errors++;
            }
        }

        /** The second of the run, from its start, that {@code t} falls in. */
        int second(long t) {
            return (int) Math.max(0, (t - start) / 1_000_000_000L);
        }

        boolean over() {
            return System.nanoTime() >= windowEnd;
        }

        void checkDone() {
            if (pacing || done.isDone()) {
                return;
            }
            for (Connection c : connections) {
                if (c != null && c.busy()) {
                    return;
                }
            }
            finish();
        }

        void giveUp() {
            if (done.isDone()) {
                return;
            }
            for (Connection c : connections) {
                if (c != null) {
                    c.abandon();
                }
            }
            finish();
        }

        /** Tells {@code atWindowEnd}, once: when the window's time is up, or when the run ends first. */
        void closeWindow() {
            if (!windowClosed) {
                windowClosed = true;
                atWindowEnd.run();
            }
        }

        void finish() {
            closeWindow();
            done.complete(new LoadResult(latency, completed, errors, settings.duration(), timeline));
        }

        /** Closes every connection and waits until each has closed (its pending writes failed and released). */
        void closeAll() {
            for (Connection c : connections) {
                if (c != null && c.channel != null) {
                    c.channel.close().awaitUninterruptibly();
                }
            }
        }
    }

    /** One keep-alive connection: at most one request in flight, later ones queued (open loop). */
    @io.netty.channel.ChannelHandler.Sharable // one channel at a time: the next only after the last one closed
    private static final class Connection extends ChannelInboundHandlerAdapter {
        private final Run run;
        Channel channel;
        private long[] queue = new long[16];
        private int head;
        private int size;
        /** When the request in flight was due (open loop) or sent (closed loop); -1: none. */
        private long inFlight = -1;
        private boolean ok;

        Connection(Run run) {
            this.run = run;
        }

        ChannelInitializer<SocketChannel> initializer() {
            Connection self = this;
            return new ChannelInitializer<>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpResponseDecoder(), self);
                }
            };
        }

        boolean busy() {
            return inFlight >= 0 || size > 0;
        }

        void submit(long due) {
            if (inFlight < 0 && channel != null && channel.isActive()) {
                send(due);
            } else {
                if (size == queue.length) {
                    long[] bigger = new long[queue.length * 2];
                    for (int i = 0; i < size; i++) {
                        bigger[i] = queue[(head + i) % queue.length];
                    }
                    queue = bigger;
                    head = 0;
                }
                queue[(head + size) % queue.length] = due;
                size++;
            }
        }

        private void send(long due) {
            inFlight = run.settings.mode() == Mode.OPEN_LOOP ? due : System.nanoTime();
            ok = false;
            channel.writeAndFlush(run.request.duplicate());
        }

        private void next() {
            inFlight = -1;
            if (run.settings.mode() == Mode.CLOSED_LOOP) {
                if (!run.over()) {
                    send(System.nanoTime());
                }
            } else if (size > 0) {
                long due = queue[head];
                head = (head + 1) % queue.length;
                size--;
                send(due);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse response) {
                    ok = response.status().code() == 200 && response.decoderResult().isSuccess();
                }
                if (msg instanceof LastHttpContent && inFlight >= 0) {
                    run.answered(inFlight, System.nanoTime(), ok);
                    next();
                    run.checkDone();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (run.done.isDone()) {
                return;
            }
            if (inFlight >= 0) {
                run.failed(inFlight);
                inFlight = -1;
            }
            if (run.over() && run.settings.mode() == Mode.CLOSED_LOOP) {
                run.checkDone();
                return;
            }
            // Reconnect; queued requests wait for the new connection (their latency keeps counting).
            run.bootstrap().handler(initializer()).connect(run.target).addListener(f -> {
                if (f.isSuccess()) {
                    channel = ((io.netty.channel.ChannelFuture) f).channel();
                    if (run.settings.mode() == Mode.CLOSED_LOOP) {
                        send(System.nanoTime());
                    } else if (size > 0) {
                        next();
                    }
                } else {
                    abandon();
                    run.checkDone();
                }
            });
        }

        /** Counts whatever is still due here as failed. */
        void abandon() {
            if (inFlight >= 0) {
                run.failed(inFlight);
                inFlight = -1;
            }
            while (size > 0) {
                run.failed(queue[head]);
                head = (head + 1) % queue.length;
                size--;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
