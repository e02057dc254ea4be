package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.Route;
import io.netty.handler.codec.http.HttpHeaders;

/** Applies a route's header changes: removals first, then overwrites, then appends. */
final class HeaderOps {
    private HeaderOps() {
    }

    static void apply(Route.HeaderOps ops, HttpHeaders headers) {
        if (ops == Route.HeaderOps.NONE) {
            return;
        }
        ops.remove().forEach(headers::remove);
        ops.set().forEach(headers::set);
        ops.add().forEach(headers::add);
    }
}
