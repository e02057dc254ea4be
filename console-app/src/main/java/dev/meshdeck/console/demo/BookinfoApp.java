package dev.meshdeck.console.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * One Bookinfo workload: a small real HTTP server that answers for its service and, for each request, calls
 * the services it depends on (productpage calls details and reviews; reviews v2 and v3 call ratings). It
 * reaches them through {@code upstream}, which in the demo is its sidecar's outbound listener, and passes
 * on the headers the mesh routes and traces by ({@code end-user}, {@code x-request-id}, {@code traceparent}).
 */
public final class BookinfoApp implements AutoCloseable {
    /** Headers passed from an incoming request to the calls it makes. */
    static final List<String> PROPAGATED = List.of("end-user", "x-request-id", "traceparent", "tracestate");

    private final BookinfoService role;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final Function<String, URI> upstream;

    private BookinfoApp(BookinfoService role, HttpServer server, ExecutorService executor, HttpClient client,
                        Function<String, URI> upstream) {
        this.role = role;
        this.server = server;
        this.executor = executor;
        this.client = client;
        this.upstream = upstream;
    }

    /**
     * Starts {@code role} on 127.0.0.1:{@code port} (0: any free port).
     *
     * @param upstream the base URI of a service the workload calls, e.g. {@code http://reviews} (sent through
     *                 {@code client}'s proxy, the sidecar) or a direct {@code http://127.0.0.1:PORT}
     * @param client   the HTTP client for its calls (in the demo: one whose proxy is the sidecar)
     */
    public static BookinfoApp start(BookinfoService role, int port, Function<String, URI> upstream, HttpClient client)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        BookinfoApp app = new BookinfoApp(role, server, executor, client, upstream);
        server.createContext("/", app::handle);
        server.start();
        return app;
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    public BookinfoService role() {
        return role;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/health")) {
                respond(exchange, 200, "{\"status\":\"ok\"}");
                return;
            }
            String id = lastSegment(path);
            List<String> parts = new ArrayList<>();
            int status = 200;
            for (String callee : role.calls()) {
                Call call = call(callee, id, exchange);
                parts.add("\"" + callee + "\":" + call.body);
                if (call.status >= 500 && role == BookinfoService.PRODUCTPAGE && callee.equals("details")) {
                    status = 502;
                }
            }
            respond(exchange, status, body(id, parts));
        }
    }

    private String body(String id, List<String> parts) {
        StringBuilder b = new StringBuilder("{\"service\":\"").append(role.service())
                .append("\",\"version\":\"").append(role.version())
                .append("\",\"id\":\"").append(id).append('"');
        switch (role) {
            case DETAILS -> b.append(",\"author\":\"William Shakespeare\",\"year\":1595,\"type\":\"paperback\"");
            case RATINGS -> b.append(",\"ratings\":{\"Reviewer1\":5,\"Reviewer2\":4}");
            case REVIEWS_V2 -> b.append(",\"stars\":\"black\"");
            case REVIEWS_V3 -> b.append(",\"stars\":\"red\"");
            default -> {
            }
        }
        parts.forEach(p -> b.append(',').append(p));
        return b.append('}').toString();
    }

    private record Call(int status, String body) {
    }

    private Call call(String callee, String id, HttpExchange incoming) {
        URI base = upstream.apply(callee);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/" + callee + "/" + id))
                .timeout(Duration.ofSeconds(10));
        for (String h : PROPAGATED) {
            String v = incoming.getRequestHeaders().getFirst(h);
            if (v != null) {
                request.header(h, v);
            }
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.statusCode() == 200 && response.body().startsWith("{")
                    ? response.body()
                    : "{\"error\":" + response.statusCode() + "}";
            return new Call(response.statusCode(), body);
        } catch (IOException e) {
            return new Call(503, "{\"error\":\"" + e.getClass().getSimpleName().toLowerCase(Locale.ROOT) + "\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Call(503, "{\"error\":\"interrupted\"}");
        }
    }

    private static String lastSegment(String path) {
        int slash = path.lastIndexOf('/');
        String last = slash < 0 ? path : path.substring(slash + 1);
        return last.isEmpty() || !last.chars().allMatch(Character::isLetterOrDigit) ? "0" : last;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
