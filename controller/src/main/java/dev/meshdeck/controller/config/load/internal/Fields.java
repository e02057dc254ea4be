package dev.meshdeck.controller.config.load.internal;

import dev.meshdeck.controller.config.load.internal.Node.MapNode;
import dev.meshdeck.controller.config.load.internal.Node.ScalarNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One YAML mapping read as a message of Istio's API. Fields are asked for by their camelCase name; the
 * snake_case spelling Istio's JSON also accepts ({@code fixed_delay}) finds the same field. After the
 * binder has asked for every field it supports, {@link #finish} reports the rest: as not supported by
 * Meshdeck if Istio has such a field, as unknown otherwise. Paths use the camelCase names.
 */
public final class Fields {
    private final Binding b;
    private final String path;
    private final MapNode map;
    private final Map<String, MapNode.Entry> entries = new LinkedHashMap<>();
    private final Set<String> asked = new LinkedHashSet<>();
    private final Set<String> ignored = new LinkedHashSet<>();

    private Fields(Binding b, String path, MapNode map) {
        this.b = b;
        this.path = path;
        this.map = map;
        for (MapNode.Entry e : map.entries()) {
            String name = camelCase(e.key());
            MapNode.Entry first = entries.putIfAbsent(name, e);
            if (first != null) {
                b.error(Values.child(path, name), e.line(), first.key().equals(e.key())
                        ? "duplicate field (first written at line " + first.line() + ")"
                        : "duplicate field: " + e.key() + " is " + first.key() + ", already written at line "
                                + first.line());
            }
        }
    }

    /** The mapping at {@code path}, or {@code null} after reporting that {@code node} is not one. */
    public static Fields of(Binding b, String path, Node node) {
        if (node instanceof MapNode m) {
            return new Fields(b, path, m);
        }
        b.error(path, node.line(), Values.got(node) + " (expected: a mapping)");
        return null;
    }

    public Binding binding() {
        return b;
    }

    public String path() {
        return path;
    }

    /** The line of the mapping (its first key). */
    public int line() {
        return map.line();
    }

    public String pathOf(String name) {
        return Values.child(path, name);
    }

    /**
     * The line of field {@code name}'s key; if the field is not written, the line of this mapping's own
     * key (where a missing field belongs), else of its first entry.
     */
    public int lineOf(String name) {
        MapNode.Entry e = entries.get(name);
        return e == null ? b.lineOf(path, map.line()) : e.line();
    }

    /** The value of field {@code name}; {@code null} if not written or written as null. */
    public Node node(String name) {
        asked.add(name);
        MapNode.Entry e = entries.get(name);
        if (e == null) {
            return null;
        }
        b.fieldLine(pathOf(name), e.line());
        return e.value() instanceof ScalarNode s && s.isNull() ? null : e.value();
    }

    public boolean has(String name) {
        MapNode.Entry e = entries.get(name);
        return e != null && !(e.value() instanceof ScalarNode s && s.isNull());
    }

    public String string(String name) {
        Node n = node(name);
        return n == null ? null : Values.string(b, pathOf(name), n);
    }

    /** A string that must be written and not empty; reports {@code missing (expected: <what>)}. */
    public String requiredString(String name, String what) {
        Node n = node(name);
        if (n == null) {
            missing(name, what);
            return null;
        }
        String s = Values.string(b, pathOf(name), n);
        if (s != null && s.isEmpty()) {
            b.error(pathOf(name), n.line(), "empty (expected: " + what + ")");
            return null;
        }
        return s;
    }

    public Integer integer(String name, int min, int max) {
        Node n = node(name);
        Long v = n == null ? null : Values.integer(b, pathOf(name), n, min, max);
        return v == null ? null : v.intValue();
    }

    public Long longInteger(String name, long min, long max) {
        Node n = node(name);
        return n == null ? null : Values.integer(b, pathOf(name), n, min, max);
    }

    public Double number(String name, double min, double max) {
        Node n = node(name);
        return n == null ? null : Values.number(b, pathOf(name), n, min, max);
    }

    /** A finite number more than {@code min} (an exclusive bound, where {@link #number} has inclusive ones). */
    public Double numberAbove(String name, double min) {
        Node n = node(name);
        return n == null ? null : Values.numberAbove(b, pathOf(name), n, min);
    }

    public Boolean bool(String name) {
        Node n = node(name);
        return n == null ? null : Values.bool(b, pathOf(name), n);
    }

    public Duration duration(String name) {
        Node n = node(name);
        return n == null ? null : Values.duration(b, pathOf(name), n);
    }

    /** A duration more than 0s. */
    public Duration positiveDuration(String name) {
        Node n = node(name);
        return n == null ? null : Values.positiveDuration(b, pathOf(name), n);
    }

    public <E extends Enum<E>> E enumValue(String name, Class<E> type) {
        return enumValue(name, type, Map.of());
    }

    public <E extends Enum<E>> E enumValue(String name, Class<E> type, Map<String, E> deprecated) {
        Node n = node(name);
        return n == null ? null : Values.enumValue(b, pathOf(name), n, type, deprecated);
    }

    public List<String> strings(String name) {
        Node n = node(name);
        return n == null ? null : Values.strings(b, pathOf(name), n);
    }

    public Map<String, String> stringMap(String name) {
        Node n = node(name);
        return n == null ? null : Values.stringMap(b, pathOf(name), n);
    }

    public <T> List<T> list(String name, Values.Element<T> element) {
        Node n = node(name);
        return n == null ? null : Values.list(b, pathOf(name), n, element);
    }

    public <T> Map<String, T> map(String name, Values.KeyedElement<T> element) {
        Node n = node(name);
        return n == null ? null : Values.map(b, pathOf(name), n, element);
    }

    /**
     * A list that must be written and hold at least one item; reports {@code missing (expected: <what>)}
     * or {@code empty (expected: <what>)}.
     */
    public <T> List<T> requiredList(String name, Values.Element<T> element, String what) {
        Node n = node(name);
        if (n == null) {
            missing(name, what);
            return null;
        }
        if (n instanceof Node.ListNode l && l.items().isEmpty()) {
            b.error(pathOf(name), n.line(), "empty (expected: " + what + ")");
            return null;
        }
        return Values.list(b, pathOf(name), n, element);
    }

    /** Whether field {@code name} is written with a value other than null, {@code []} or {@code {}}. */
    public boolean hasContent(String name) {
        MapNode.Entry e = entries.get(name);
        if (e == null) {
            return false;
        }
        return switch (e.value()) {
            case Node.ListNode l -> !l.items().isEmpty();
            case MapNode m -> !m.entries().isEmpty();
            case ScalarNode s -> !s.isNull();
        };
    }

    /** A nested message read by {@code element}; {@code null} if not written or if it has errors. */
    public <T> T object(String name, Values.Element<T> element) {
        Node n = node(name);
        return n == null ? null : element.bind(pathOf(name), n);
    }

    /** Reports that field {@code name} is required: {@code missing (expected: <what>)}. */
    public void missing(String name, String what) {
        b.error(pathOf(name), lineOf(name), "missing (expected: " + what + ")");
    }

    /** Reports an error about field {@code name} at its line. */
    public void error(String name, String message) {
        b.error(pathOf(name), lineOf(name), message);
    }

    /** Reports an error about this whole mapping at its line. */
    public void error(String message) {
        b.error(path, b.lineOf(path, map.line()), message);
    }

    /** Accepts fields that carry no meaning for Meshdeck (such as Kubernetes bookkeeping) and ignores them. */
    public void ignore(String... names) {
        ignored.addAll(List.of(names));
    }

    /**
     * Reports every field not asked for: {@code unsupported} names fields of Istio's API that Meshdeck
     * does not implement; anything else is unknown.
     */
    public void finish(String... unsupported) {
        Set<String> notSupported = Set.of(unsupported);
        for (Map.Entry<String, MapNode.Entry> e : entries.entrySet()) {
            String name = e.getKey();
            if (asked.contains(name) || ignored.contains(name)) {
                continue;
            }
            String p = Values.child(path, e.getValue().key());
            if (notSupported.contains(name)) {
                b.error(p, e.getValue().line(), "field " + e.getValue().key() + " is not supported by Meshdeck");
            } else {
                b.error(p, e.getValue().line(), "unknown field " + e.getValue().key()
                        + " (expected one of: " + String.join(", ", asked) + ")");
            }
        }
    }

    /** Istio's JSON accepts proto field names too: {@code fixed_delay} is {@code fixedDelay}. */
    static String camelCase(String key) {
        if (key.indexOf('_') < 0) {
            return key;
        }
        StringBuilder s = new StringBuilder(key.length());
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                s.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return s.toString();
    }
}
