package dev.meshdeck.viz.io.internal;

/**
 * Writes JSON into a {@link StringBuilder}, one value per call, with commas and indentation handled:
 * objects and arrays of objects indented by two spaces, arrays of scalars and small objects marked
 * {@code inline} on one line. Numbers are written so that they read back to the same double.
 */
public final class JsonWriter {

    private static final long NEGATIVE_ZERO = Double.doubleToRawLongBits(-0.0);

    private final StringBuilder out;
    private final boolean[] first = new boolean[128];
    private final boolean[] inline = new boolean[128];
    private int depth;
    private boolean afterName;

    public JsonWriter(StringBuilder out) {
        this.out = out;
    }

    public JsonWriter beginObject() {
        return begin('{', false);
    }

    public JsonWriter beginInlineObject() {
        return begin('{', true);
    }

    public JsonWriter endObject() {
        return end('}');
    }

    public JsonWriter beginArray() {
        return begin('[', false);
    }

    public JsonWriter beginInlineArray() {
        return begin('[', true);
    }

    public JsonWriter endArray() {
        return end(']');
    }

    public JsonWriter name(String name) {
        separator();
        quote(name);
        out.append(inline[depth] ? ":" : ": ");
        afterName = true;
        return this;
    }

    public JsonWriter value(String s) {
        separator();
        quote(s);
        return this;
    }

    public JsonWriter value(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no " + d);
        }
        separator();
        if (d == Math.rint(d) && Math.abs(d) < 1e15 && Double.doubleToRawLongBits(d) != NEGATIVE_ZERO) {
            out.append((long) d);
        } else {
            out.append(d);
        }
        return this;
    }

    /** A field {@code name: value}, or nothing if {@code value} is null. */
    public JsonWriter field(String name, String value) {
        return value == null ? this : name(name).value(value);
    }

    public JsonWriter field(String name, double value) {
        return name(name).value(value);
    }

    private JsonWriter begin(char c, boolean oneLine) {
        separator();
        out.append(c);
        depth++;
        first[depth] = true;
        inline[depth] = oneLine || inline[depth - 1];
        return this;
    }

    private JsonWriter end(char c) {
        boolean wasEmpty = first[depth];
        boolean wasInline = inline[depth];
        depth--;
        if (!wasEmpty && !wasInline) {
            newline();
        }
        out.append(c);
        return this;
    }

    private void separator() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth == 0) {
            return;
        }
        if (!first[depth]) {
            out.append(',');
            if (inline[depth]) {
                out.append(' ');
            }
        }
        first[depth] = false;
        if (!inline[depth]) {
            newline();
        }
    }

    private void newline() {
        out.append('\n');
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
