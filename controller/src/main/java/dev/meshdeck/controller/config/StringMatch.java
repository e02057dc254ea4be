package dev.meshdeck.controller.config;

import java.util.Objects;

/** Istio's {@code StringMatch}: exactly one of {@code exact}, {@code prefix} or {@code regex} (RE2 syntax). */
public record StringMatch(Type type, String value) {
    public enum Type { EXACT, PREFIX, REGEX }

    public StringMatch {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    public static StringMatch exact(String v) {
        return new StringMatch(Type.EXACT, v);
    }

    public static StringMatch prefix(String v) {
        return new StringMatch(Type.PREFIX, v);
    }

    public static StringMatch regex(String v) {
        return new StringMatch(Type.REGEX, v);
    }
}
