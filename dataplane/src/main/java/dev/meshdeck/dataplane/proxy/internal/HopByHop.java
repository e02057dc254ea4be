package dev.meshdeck.dataplane.proxy.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The hop-by-hop headers (RFC 9110 §7.6.1) that a proxy must not forward. */
final class HopByHop {
    private static final CharSequence[] ALWAYS = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.TE, HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderNames.UPGRADE, HttpHeaderNames.TRAILER};

    private HopByHop() {
    }

    /**
     * Removes the hop-by-hop headers, those the Connection header names included. On every request: plain loops,
     * and nothing allocated when there is no Connection header.
     */
    static void strip(HttpHeaders headers) {
        List<String> named = null;
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            named = new ArrayList<>();
            for (String v : headers.getAll(HttpHeaderNames.CONNECTION)) {
                for (String token : v.split(",")) {
                    String t = token.trim().toLowerCase(Locale.ROOT);
                    if (!t.isEmpty() && !t.equals("close") && !t.equals("keep-alive")) {
                        named.add(t);
                    }
                }
            }
        }
        for (CharSequence name : ALWAYS) {
            headers.remove(name);
        }
        if (named != null) {
            for (int i = 0; i < named.size(); i++) {
                headers.remove(named.get(i));
            }
        }
    }
}
