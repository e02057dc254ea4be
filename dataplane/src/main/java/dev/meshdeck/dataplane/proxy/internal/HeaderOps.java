package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.config.Route;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;

/**
 * Applies a route's header changes: removals first, then overwrites, then appends. On every request: plain
 * loops, no iterator or method reference allocated for the lists (the maps are iterated only when not empty).
 */
final class HeaderOps {
    private HeaderOps() {
    }

    static void apply(Route.HeaderOps ops, HttpHeaders headers) {
        if (ops == Route.HeaderOps.NONE) {
            return;
        }
        List<String> remove = ops.remove();
        for (int i = 0; i < remove.size(); i++) {
            headers.remove(remove.get(i));
        }
        if (!ops.set().isEmpty()) {
            for (Map.Entry<String, String> e : ops.set().entrySet()) {
                headers.set(e.getKey(), e.getValue());
            }
        }
        if (!ops.add().isEmpty()) {
            for (Map.Entry<String, String> e : ops.add().entrySet()) {
                headers.add(e.getKey(), e.getValue());
            }
        }
    }
}
