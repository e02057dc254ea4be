package dev.meshdeck.dataplane.admin;

import dev.meshdeck.dataplane.proxy.ClusterStatus;
import dev.meshdeck.dataplane.proxy.internal.Transport;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.stats.StatsFilter;
import dev.meshdeck.dataplane.stats.StatsFormat;
import dev.meshdeck.dataplane.tls.WorkloadCertificate;
import dev.meshdeck.dataplane.xds.ConfigDumpQuery;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The sidecar's admin endpoint, with Envoy's paths: {@code /ready}, {@code /config_dump} (the active xDS config as
 * JSON), {@code /clusters} (each cluster's endpoints, their health and per-host stats, as Envoy's text or with
 * {@code ?format=json} its JSON), {@code /certs} (the workload certificate, as Envoy's JSON), {@code /stats} (Envoy's text;
 * {@code ?format=prometheus}), {@code /stats/prometheus} (both with Envoy's {@code ?filter=REGEX} and
 * {@code ?usedonly}), and {@code POST /quitquitquit} (drain and exit). It binds loopback by default: it tells anyone
 * who reaches it how the mesh is wired.
 */
public final class AdminServer implements AutoCloseable {

    /** A sidecar's state as Envoy's {@code /ready} names it: 200 for {@code LIVE}, 503 for the others. */
    public enum State {
        /** Waiting for its first config (or its first workload certificate). */
        PRE_INITIALIZING,
        /** Serving. */
        LIVE,
        /** Stopping: finishing what is in flight. */
        DRAINING
    }

    /**
     * What the admin endpoint reports and does.
     *
     * @param state      the sidecar's state, for {@code /ready}
     * @param configDump the active xDS config as JSON, or what of it the query asks for
     * @param clusters   the clusters and their endpoints, for {@code /clusters}
     * @param stats      the sidecar's statistics
     * @param drain      starts draining: finish what is in flight, exit
     * @param workload   the sidecar's workload certificate, once it has one, for {@code /certs}
     */
    public record Handlers(Supplier<State> state, Function<ConfigDumpQuery, String> configDump,
                           Supplier<List<ClusterStatus>> clusters,
                           Stats stats, Runnable drain, Supplier<Optional<WorkloadCertificate>> workload) {
        public Handlers {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(configDump, "configDump");
            Objects.requireNonNull(clusters, "clusters");
            Objects.requireNonNull(stats, "stats");
            Objects.requireNonNull(drain, "drain");
            Objects.requireNonNull(workload, "workload");
        }
    }

    /** What a request is answered with. */
    private record Reply(int status, String contentType, String body, Runnable after) {
        static Reply text(int status, String body) {
            return new Reply(status, "text/plain", body, null);
        }
    }

    private final EventLoopGroup group;
    private final Channel channel;

    private AdminServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Starts serving on {@code address} (port 0: any free port). */
    public static AdminServer start(InetSocketAddress address, Handlers handlers) throws IOException {
        return serve(address, "meshdeck-admin", request -> handle(request, handlers));
    }

    /**
     * Starts Istio's metrics endpoint (the sidecar's port 15090) on {@code address}: {@code /stats/prometheus} only,
     * with the same query as on the admin port, for scrapers that may reach the metrics but nothing else.
     */
    public static AdminServer metrics(InetSocketAddress address, Stats stats) throws IOException {
        return serve(address, "meshdeck-metrics", request -> {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            return uri.path().equals("/stats/prometheus") ? stats(uri, stats)
                    : Reply.text(404, "no metrics path " + uri.path() + " (expected: /stats/prometheus)\n");
        });
    }

    /**
     * An HTTP/1.1 server (keep-alive, requests up to {@link #MAX_REQUEST_BYTES}) on its own event loop thread, so
     * that the proxy's load never delays it; a malformed request is a 400 and the connection closes.
     */
    private static AdminServer serve(InetSocketAddress address, String thread, Function<FullHttpRequest, Reply> handler)
            throws IOException {
        Transport transport = Transport.best();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(thread, true),
                transport.ioHandlers().get());
        ChannelFuture bound = new ServerBootstrap().group(group).channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                new HttpObjectAggregator(MAX_REQUEST_BYTES), new Requests(handler));
                    }
                }).bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            Throwable cause = bound.cause();
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        }
        return new AdminServer(group, bound.channel());
    }

    /** The largest request the admin endpoint reads (its requests have no body to speak of). */
    static final int MAX_REQUEST_BYTES = 64 * 1024;

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** A query parameter the admin endpoint cannot take: a 400 with this message. */
    private static final class BadQuery extends RuntimeException {
        BadQuery(String message) {
            super(message, null, false, false);
        }
    }

    private static Reply handle(FullHttpRequest request, Handlers handlers) {
        try {
            return route(request, handlers);
        } catch (BadQuery e) {
            return Reply.text(400, e.getMessage() + "\n");
        }
    }

    private static Reply route(FullHttpRequest request, Handlers handlers) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        return switch (path) {
            case "/ready" -> {
                State state = handlers.state().get();
                yield Reply.text(state == State.LIVE ? 200 : 503, state + "\n");
            }
            case "/config_dump" -> configDump(uri, handlers.configDump());
            case "/clusters" -> clusters(uri, handlers.clusters());
            case "/certs" -> new Reply(200, "application/json", CertsFormat.json(handlers.workload().get(), Instant.now()),
                    null);
            case "/stats", "/stats/prometheus" -> stats(uri, handlers.stats());
            case "/quitquitquit" -> request.method().equals(HttpMethod.POST)
                    // The answer goes out first; the drain starts once it has been written.
                    ? new Reply(200, "text/plain", "OK\n", handlers.drain())
                    : Reply.text(405, "use POST /quitquitquit\n");
            default -> Reply.text(404, "no admin path " + path
                    + " (expected: /ready, /config_dump, /clusters, /certs, /stats, /stats/prometheus, /quitquitquit)\n");
        };
    }

    /**
     * {@code /stats} (Envoy's text, or with {@code format=prometheus} Prometheus') and {@code /stats/prometheus},
     * with Envoy's {@code filter=REGEX} and {@code usedonly}; a bad query is a 400 that names what is wrong.
     */
    private static Reply stats(QueryStringDecoder uri, Stats stats) {
        Map<String, List<String>> query = uri.parameters();
        boolean prometheus = uri.path().equals("/stats/prometheus");
        String format = first(query, "format");
        if (format != null && !format.equals("text") && !format.equals("prometheus") && !format.equals("json")) {
            return Reply.text(400, "format=" + format + " is not supported (expected: text, json or prometheus)\n");
        }
        prometheus |= "prometheus".equals(format);
        StatsFilter which = new StatsFilter(regex(query, "filter").orElse(null), query.containsKey("usedonly"));
        if ("json".equals(format) && !prometheus) {
            return new Reply(200, "application/json", StatsJson.json(stats, which), null);
        }
        return prometheus
                ? new Reply(200, "text/plain; version=0.0.4", StatsFormat.prometheus(stats, which), null)
                : Reply.text(200, StatsFormat.envoyText(stats, which));
    }

    /**
     * {@code /config_dump}, with Envoy's {@code resource} (one field of the dump, its entries each a config) and
     * {@code name_regex} (resources whose name it matches whole); a field the dump does not have, or a bad regular
     * expression, is a 400 naming it.
     */
    private static Reply configDump(QueryStringDecoder uri, Function<ConfigDumpQuery, String> dump) {
        String resource = first(uri.parameters(), "resource");
        Optional<Pattern> names = regex(uri.parameters(), "name_regex");
        ConfigDumpQuery query;
        try {
            query = new ConfigDumpQuery(Optional.ofNullable(resource).filter(r -> !r.isEmpty()), names);
        } catch (IllegalArgumentException e) {
            throw new BadQuery(e.getMessage());
        }
        return new Reply(200, "application/json", dump.apply(query), null);
    }

    /** {@code /clusters}: Envoy's text, or with {@code format=json} its JSON; another format is a 400. */
    private static Reply clusters(QueryStringDecoder uri, Supplier<List<ClusterStatus>> clusters) {
        String format = first(uri.parameters(), "format");
        if (format != null && !format.equals("text") && !format.equals("json")) {
            return Reply.text(400, "format=" + format + " is not supported (expected: text or json)\n");
        }
        return "json".equals(format)
                ? new Reply(200, "application/json", ClustersFormat.json(clusters.get()), null)
                : Reply.text(200, ClustersFormat.text(clusters.get()));
    }

    /** The regular expression of parameter {@code name}, if given; one that does not compile is a {@link BadQuery}. */
    private static Optional<Pattern> regex(Map<String, List<String>> query, String name) {
        String regex = first(query, name);
        if (regex == null || regex.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new BadQuery(name + "=" + regex + " is not a regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Answers each whole request with what the handler replies; a request Netty could not decode gets a 400. */
    private static final class Requests extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Function<FullHttpRequest, Reply> handler;

        Requests(Function<FullHttpRequest, Reply> handler) {
            this.handler = handler;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            Reply reply;
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (request.decoderResult().isFailure()) {
                reply = Reply.text(400, "malformed request: " + request.decoderResult().cause().getMessage() + "\n");
                keepAlive = false;
            } else {
                try {
                    reply = handler.apply(request);
                } catch (RuntimeException e) {
                    reply = Reply.text(500, "admin request failed: " + e + "\n");
                }
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(bytes));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
            HttpUtil.setKeepAlive(response, keepAlive);
            ChannelFuture written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
            Runnable after = reply.after();
            if (after != null) {
                written.addListener(f -> after.run());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client that went away, or a read error: that connection only
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
