package dev.meshdeck.dataplane.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.meshdeck.dataplane.stats.Stats;
import dev.meshdeck.dataplane.stats.StatsFilter;
import dev.meshdeck.dataplane.stats.StatsFormat;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The sidecar's admin endpoint, with Envoy's paths: {@code /ready}, {@code /config_dump} (the active xDS
 * config as JSON), {@code /stats} (Envoy's text; {@code ?format=prometheus}), {@code /stats/prometheus} (both with
 * Envoy's {@code ?filter=REGEX} and {@code ?usedonly}), and {@code POST /quitquitquit} (drain and exit). It binds loopback by default: it tells anyone who reaches it how the mesh is wired.
 */
public final class AdminServer implements AutoCloseable {

    /**
     * What the admin endpoint reports and does.
     *
     * @param state      the sidecar's state, for {@code /ready}
     * @param configDump the active xDS config as JSON
     * @param stats      the sidecar's statistics
     * @param drain      starts draining: finish what is in flight, exit
     */
    /** A sidecar's state as Envoy's {@code /ready} names it: 200 for {@code LIVE}, 503 for the others. */
    public enum State {
        /** Waiting for its first config (or its first workload certificate). */
        PRE_INITIALIZING,
        /** Serving. */
        LIVE,
        /** Stopping: finishing what is in flight. */
        DRAINING
    }

    public record Handlers(Supplier<State> state, Supplier<String> configDump, Stats stats, Runnable drain) {
        public Handlers {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(configDump, "configDump");
            Objects.requireNonNull(stats, "stats");
            Objects.requireNonNull(drain, "drain");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private AdminServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving on {@code address} (port 0: any free port). */
    public static AdminServer start(InetSocketAddress address, Handlers handlers) throws IOException {
        return serve(address, "meshdeck-admin", exchange -> handle(exchange, handlers));
    }

    /**
     * Starts Istio's metrics endpoint (the sidecar's port 15090) on {@code address}: {@code /stats/prometheus} only,
     * with the same query as on the admin port, for scrapers that may reach the metrics but nothing else.
     */
    public static AdminServer metrics(InetSocketAddress address, Stats stats) throws IOException {
        return serve(address, "meshdeck-metrics", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/stats/prometheus")) {
                    stats(exchange, stats);
                } else {
                    send(exchange, 404, "text/plain", "no metrics path " + path + " (expected: /stats/prometheus)\n");
                }
            }
        });
    }

    private static AdminServer serve(InetSocketAddress address, String thread, HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, thread);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        return new AdminServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void handle(HttpExchange exchange, Handlers handlers) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            switch (path) {
                case "/ready" -> {
                    State state = handlers.state().get();
                    send(exchange, state == State.LIVE ? 200 : 503, "text/plain", state + "\n");
                }
                case "/config_dump" -> send(exchange, 200, "application/json", handlers.configDump().get());
                case "/stats", "/stats/prometheus" -> stats(exchange, handlers.stats());
                case "/quitquitquit" -> {
                    if (!method.equals("POST")) {
                        send(exchange, 405, "text/plain", "use POST /quitquitquit\n");
                        return;
                    }
                    send(exchange, 200, "text/plain", "OK\n");
                    handlers.drain().run();
                }
                default -> send(exchange, 404, "text/plain", "no admin path " + path
                        + " (expected: /ready, /config_dump, /stats, /stats/prometheus, /quitquitquit)\n");
            }
        }
    }

    /**
     * {@code /stats} (Envoy's text, or with {@code format=prometheus} Prometheus') and {@code /stats/prometheus},
     * with Envoy's {@code filter=REGEX} and {@code usedonly}; a bad query is a 400 that names what is wrong.
     */
    private static void stats(HttpExchange exchange, Stats stats) throws IOException {
        Map<String, List<String>> query = new QueryStringDecoder(exchange.getRequestURI().getRawQuery() == null ? ""
                : exchange.getRequestURI().getRawQuery(), false).parameters();
        boolean prometheus = exchange.getRequestURI().getPath().equals("/stats/prometheus");
        String format = first(query, "format");
        if (format != null && !format.equals("text") && !format.equals("prometheus")) {
            send(exchange, 400, "text/plain", "format=" + format + " is not supported (expected: text or prometheus)\n");
            return;
        }
        prometheus |= "prometheus".equals(format);
        Pattern filter = null;
        String regex = first(query, "filter");
        if (regex != null && !regex.isEmpty()) {
            try {
                filter = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                send(exchange, 400, "text/plain", "filter=" + regex + " is not a regular expression: "
                        + e.getDescription() + " near index " + e.getIndex() + "\n");
                return;
            }
        }
        StatsFilter which = new StatsFilter(filter, query.containsKey("usedonly"));
        if (prometheus) {
            send(exchange, 200, "text/plain; version=0.0.4", StatsFormat.prometheus(stats, which));
        } else {
            send(exchange, 200, "text/plain", StatsFormat.envoyText(stats, which));
        }
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
