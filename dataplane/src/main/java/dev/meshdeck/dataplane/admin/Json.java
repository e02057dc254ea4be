package dev.meshdeck.dataplane.admin;

/** JSON text for the admin endpoint's answers, written by hand (the sidecar carries no JSON library). */
final class Json {
    private Json() {
    }

    /** {@code s} as a JSON string. */
    static String string(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        string(b, s);
        return b.toString();
    }

    /** Appends {@code s} as a JSON string: quotes, backslashes and control characters escaped. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }
}
