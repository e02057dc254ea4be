package dev.meshdeck.dataplane.config;

import com.google.re2j.Pattern;
import java.util.Locale;
import java.util.Objects;

/**
 * Envoy's {@code StringMatcher}: exact, prefix, suffix, contains or RE2 regex (full match), optionally
 * ignoring case.
 */
public record StringMatcher(Kind kind, String value, boolean ignoreCase, Pattern regex) {
    public enum Kind { EXACT, PREFIX, SUFFIX, CONTAINS, REGEX }

    public StringMatcher {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        if (kind == Kind.REGEX && regex == null) {
            regex = Pattern.compile(value, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
        }
    }

    public static StringMatcher of(Kind kind, String value, boolean ignoreCase) {
        return new StringMatcher(kind, value, ignoreCase, null);
    }

    public boolean matches(String s) {
        if (s == null) {
            return false;
        }
        return switch (kind) {
            case EXACT -> ignoreCase ? s.equalsIgnoreCase(value) : s.equals(value);
            case PREFIX -> ignoreCase ? s.regionMatches(true, 0, value, 0, value.length()) : s.startsWith(value);
            case SUFFIX -> ignoreCase
                    ? s.regionMatches(true, s.length() - value.length(), value, 0, value.length())
                    : s.endsWith(value);
            case CONTAINS -> ignoreCase
                    ? s.toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT))
                    : s.contains(value);
            case REGEX -> regex.matches(s);
        };
    }
}
