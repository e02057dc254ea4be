package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.config.RouteTable;
import dev.meshdeck.dataplane.config.StringMatcher;
import dev.meshdeck.dataplane.route.RouteResult;
import dev.meshdeck.dataplane.route.Router;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Routes the request with the listener's route table: answers 404 (naming the host, or host and path)
 * or a redirect itself, or records where to forward and applies the route's request header changes and
 * rewrites.
 */
final class RouteFilter implements ProxyFilter {
    static final String NAME = "meshdeck.route";

    private final Router router;

    RouteFilter(Router router) {
        this.router = router;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onRequest(Exchange exchange, FilterChain chain) {
        String tableName = exchange.listener().routeTable();
        RouteTable table = exchange.snapshot().config().routes().get(tableName);
        if (table == null) {
            exchange.respond(HttpResponseStatus.NOT_FOUND, "no route table " + tableName + " for listener "
                    + exchange.listener().name());
            return;
        }
        switch (router.route(table, exchange.head())) {
            case RouteResult.NoVirtualHost n ->
                    exchange.respond(HttpResponseStatus.NOT_FOUND, "no virtual host for host " + n.host());
            case RouteResult.NoRoute n ->
                    exchange.respond(HttpResponseStatus.NOT_FOUND, "no route for host " + n.host() + " and path " + n.path());
            case RouteResult.Redirect r -> redirect(exchange, r.redirect());
            case RouteResult.Forward f -> {
                exchange.forward(f);
                rewrite(exchange.request(), f.route());
                HeaderOps.apply(f.route().requestHeaders(), exchange.request().headers());
                chain.proceed(exchange);
            }
        }
    }

    private static void redirect(Exchange exchange, Route.Redirect redirect) {
        String host = redirect.host() != null ? redirect.host() : exchange.head().host();
        String path = redirect.path() != null ? redirect.path() : exchange.head().path();
        HttpResponseStatus status = HttpResponseStatus.valueOf(redirect.status() == 0 ? 301 : redirect.status());
        exchange.respond(status, "redirect to http://" + host + path,
                r -> r.headers().set(HttpHeaderNames.LOCATION, "http://" + host + path));
    }

    private static void rewrite(HttpRequest request, Route route) {
        Route.Action action = route.action();
        if (action.prefixRewrite() != null && route.match().path().matcher().kind() == StringMatcher.Kind.PREFIX) {
            String prefix = route.match().path().matcher().value();
            String uri = request.uri();
            if (uri.startsWith(prefix)) {
                request.setUri(action.prefixRewrite() + uri.substring(prefix.length()));
            }
        }
        if (action.hostRewrite() != null) {
            request.headers().set(HttpHeaderNames.HOST, action.hostRewrite());
        }
    }
}
