package dev.meshdeck.dataplane.route.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Query parameters of a request path, percent-decoded as Envoy decodes them ({@code %XX} sequences as
 * UTF-8; {@code +} stays a plus; a malformed escape stays as written).
 */
public final class QueryString {
    private QueryString() {
    }

    /**
     * The first value of parameter {@code name} in {@code path}'s query string: empty when absent, an
     * empty string for {@code ?name} or {@code ?name=}.
     */
    public static Optional<String> first(String path, String name) {
        int q = path.indexOf('?');
        if (q < 0) {
            return Optional.empty();
        }
        int end = path.indexOf('#', q);
        String query = path.substring(q + 1, end < 0 ? path.length() : end);
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                return Optional.of(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return Optional.empty();
    }

    /** Decodes {@code %XX} escapes; leaves malformed ones as they are. */
    public static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
                out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
