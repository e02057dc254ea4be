package dev.meshdeck.dataplane.proxy.support;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.config.RouteTable;
import dev.meshdeck.dataplane.config.VirtualHost;
import dev.meshdeck.dataplane.route.RequestHead;
import dev.meshdeck.dataplane.route.RouteResult;
import dev.meshdeck.dataplane.route.Router;
import java.util.Locale;

/**
 * TEST STAND-IN for the real {@code route} package's router until it merges: virtual host by exact domain
 * (port ignored) or {@code *}, the first route whose path matcher fits, the first cluster with a weight.
 */
public final class FirstRouteRouter implements Router {
    @Override
    public RouteResult route(RouteTable table, RequestHead request) {
        String host = request.host().toLowerCase(Locale.ROOT);
        String bare = host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        VirtualHost match = null;
        for (VirtualHost vh : table.virtualHosts()) {
            if (vh.domains().contains(host) || vh.domains().contains(bare)) {
                match = vh;
                break;
            }
        }
        if (match == null) {
            match = table.virtualHosts().stream().filter(vh -> vh.domains().contains("*")).findFirst().orElse(null);
        }
        if (match == null) {
            return new RouteResult.NoVirtualHost(request.host());
        }
        for (Route r : match.routes()) {
            if (r.match().path().matcher().matches(request.pathOnly())) {
                if (r.redirect() != null) {
                    return new RouteResult.Redirect(match, r, r.redirect());
                }
                String cluster = r.action().clusters().stream().filter(c -> c.weight() > 0).findFirst()
                        .orElse(r.action().clusters().get(0)).name();
                return new RouteResult.Forward(match, r, cluster);
            }
        }
        return new RouteResult.NoRoute(request.host(), request.path());
    }
}
