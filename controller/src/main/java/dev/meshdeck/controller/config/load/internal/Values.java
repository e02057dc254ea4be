package dev.meshdeck.controller.config.load.internal;

import dev.meshdeck.controller.config.Durations;
import dev.meshdeck.controller.config.load.internal.Node.ListNode;
import dev.meshdeck.controller.config.load.internal.Node.MapNode;
import dev.meshdeck.controller.config.load.internal.Node.ScalarNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Converts YAML values to Java values the way Istio's JSON reading does (a quoted number is accepted
 * where a number is expected; a number is not accepted where text is), reporting what was expected.
 * Every method returns {@code null} after reporting an error.
 */
public final class Values {
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
    private static final Pattern SAFE_KEY = Pattern.compile("[A-Za-z0-9_/-]+");

    private Values() {
    }

    /** The path of {@code key} under {@code path}: {@code a.b}, or {@code a["x.y"]} for a key with dots. */
    public static String child(String path, String key) {
        if (path.isEmpty()) {
            return key;
        }
        return SAFE_KEY.matcher(key).matches() ? path + "." + key : path + "[\"" + key + "\"]";
    }

    public static String item(String path, int index) {
        return path + "[" + index + "]";
    }

    public static String string(Binding b, String path, Node node) {
        if (node instanceof ScalarNode s && s.type() == ScalarNode.Type.STRING) {
            return s.text();
        }
        b.error(path, node.line(), got(node) + " (expected: a string" + quoteHint(node) + ")");
        return null;
    }

    public static Long integer(Binding b, String path, Node node, long min, long max) {
        String expected = "an integer " + range(min, max);
        if (node instanceof ScalarNode s && (s.type() == ScalarNode.Type.INTEGER
                || s.type() == ScalarNode.Type.STRING && INTEGER.matcher(s.text().strip()).matches())) {
            BigInteger v = new BigInteger(s.text().strip());
            if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
                b.error(path, node.line(), v + " (expected: " + range(min, max) + ")");
                return null;
            }
            return v.longValueExact();
        }
        b.error(path, node.line(), got(node) + " (expected: " + expected + ")");
        return null;
    }

    public static Double number(Binding b, String path, Node node, double min, double max) {
        return number(b, path, node, v -> v >= min && v <= max, range(min, max));
    }

    /** A finite number more than {@code min}: {@code 0 (expected: more than 0)}. */
    public static Double numberAbove(Binding b, String path, Node node, double min) {
        return number(b, path, node, v -> v > min && Double.isFinite(v), "more than " + trim(min));
    }

    /** A number for which {@code accepted} holds, {@code range} saying which those are. */
    private static Double number(Binding b, String path, Node node, DoublePredicate accepted, String range) {
        if (node instanceof ScalarNode s && (s.type() == ScalarNode.Type.INTEGER || s.type() == ScalarNode.Type.FLOAT
                || s.type() == ScalarNode.Type.STRING)) {
            double v;
            try {
                v = new BigDecimal(s.text().strip()).doubleValue();
            } catch (NumberFormatException e) {
                b.error(path, node.line(), got(node) + " (expected: a number " + range + ")");
                return null;
            }
            if (!accepted.test(v)) {
                b.error(path, node.line(), s.text().strip() + " (expected: " + range + ")");
                return null;
            }
            return v;
        }
        b.error(path, node.line(), got(node) + " (expected: a number " + range + ")");
        return null;
    }

    public static Boolean bool(Binding b, String path, Node node) {
        if (node instanceof ScalarNode s && s.type() == ScalarNode.Type.BOOLEAN) {
            return s.isTrue();
        }
        b.error(path, node.line(), got(node) + " (expected: true or false)");
        return null;
    }

    public static Duration duration(Binding b, String path, Node node) {
        if (node instanceof ScalarNode s && s.type() == ScalarNode.Type.STRING) {
            try {
                return Durations.parse(s.text());
            } catch (IllegalArgumentException | ArithmeticException e) {
                b.error(path, node.line(), e instanceof ArithmeticException
                        ? "duration \"" + s.text() + "\" is too long" : e.getMessage());
                return null;
            }
        }
        b.error(path, node.line(), got(node) + " (expected: a duration such as 100ms, 1.5s, 1m30s)");
        return null;
    }

    /**
     * A duration more than 0, for a setting that a zero would turn off: {@code duration "0s" is zero
     * (expected: more than 0s)}.
     */
    public static Duration positiveDuration(Binding b, String path, Node node) {
        if (node instanceof ScalarNode s && s.type() == ScalarNode.Type.STRING && s.text().strip().startsWith("-")) {
            b.error(path, node.line(), "duration \"" + s.text() + "\" is negative (expected: more than 0s)");
            return null;
        }
        Duration d = duration(b, path, node);
        if (d != null && d.isZero()) {
            b.error(path, node.line(), "duration \"" + ((ScalarNode) node).text()
                    + "\" is zero (expected: more than 0s)");
            return null;
        }
        return d;
    }

    /**
     * The constant of {@code type} named by the value, or one of {@code deprecated}'s names (which map to
     * their replacement).
     */
    public static <E extends Enum<E>> E enumValue(Binding b, String path, Node node, Class<E> type,
                                                  Map<String, E> deprecated) {
        String expected = "one of " + Stream.concat(Arrays.stream(type.getEnumConstants()).map(Enum::name),
                deprecated.keySet().stream()).collect(Collectors.joining(", "));
        if (node instanceof ScalarNode s && s.type() == ScalarNode.Type.STRING) {
            E alias = deprecated.get(s.text());
            if (alias != null) {
                return alias;
            }
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(s.text())) {
                    return e;
                }
            }
            b.error(path, node.line(), "\"" + s.text() + "\" (expected: " + expected + ")");
            return null;
        }
        b.error(path, node.line(), got(node) + " (expected: " + expected + ")");
        return null;
    }

    public static List<String> strings(Binding b, String path, Node node) {
        return list(b, path, node, (p, n) -> string(b, p, n));
    }

    /** A mapping of text to text (labels, headers to set); keys are kept as written. */
    public static Map<String, String> stringMap(Binding b, String path, Node node) {
        return map(b, path, node, (k, p, n) -> string(b, p, n));
    }

    /** A list; items that fail are left out after their errors are reported. */
    public static <T> List<T> list(Binding b, String path, Node node, Element<T> element) {
        if (!(node instanceof ListNode l)) {
            b.error(path, node.line(), got(node) + " (expected: a list)");
            return null;
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < l.items().size(); i++) {
            Node item = l.items().get(i);
            String p = item(path, i);
            b.fieldLine(p, item.line());
            T t = element.bind(p, item);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /** A mapping with keys chosen by the user (label names, header names); values that fail are left out. */
    public static <T> Map<String, T> map(Binding b, String path, Node node, KeyedElement<T> element) {
        if (!(node instanceof MapNode m)) {
            b.error(path, node.line(), got(node) + " (expected: a mapping)");
            return null;
        }
        Map<String, T> out = new LinkedHashMap<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (MapNode.Entry e : m.entries()) {
            String p = child(path, e.key());
            Integer first = seen.putIfAbsent(e.key(), e.line());
            if (first != null) {
                b.error(p, e.line(), "duplicate key (first written at line " + first + ")");
                continue;
            }
            b.fieldLine(p, e.line());
            if (e.value() instanceof ScalarNode s && s.isNull()) {
                b.error(p, e.line(), "null (expected: a value)");
                continue;
            }
            T t = element.bind(e.key(), p, e.value());
            if (t != null) {
                out.put(e.key(), t);
            }
        }
        return out;
    }

    /** What a value is, for messages: {@code the number 80}, {@code "abc"}, {@code a list}. */
    public static String got(Node node) {
        if (node instanceof ScalarNode s) {
            return switch (s.type()) {
                case STRING -> "\"" + s.text() + "\"";
                case INTEGER, FLOAT -> "the number " + s.text();
                case BOOLEAN -> "the boolean " + s.text();
                case NULL -> "null";
            };
        }
        return node.describe();
    }

    private static String quoteHint(Node node) {
        if (node instanceof ScalarNode s && (s.type() == ScalarNode.Type.INTEGER || s.type() == ScalarNode.Type.FLOAT
                || s.type() == ScalarNode.Type.BOOLEAN)) {
            return "; write \"" + s.text() + "\" in quotes to mean the text";
        }
        return "";
    }

    private static String range(long min, long max) {
        return max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? min + " or more" : min + ".." + max;
    }

    private static String range(double min, double max) {
        return trim(min) + ".." + trim(max);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** Reads one value found at {@code path}; returns {@code null} after reporting an error. */
    @FunctionalInterface
    public interface Element<T> {
        T bind(String path, Node node);
    }

    /** Reads the value of {@code key} of a mapping with user-chosen keys. */
    @FunctionalInterface
    public interface KeyedElement<T> {
        T bind(String key, String path, Node node);
    }
}
