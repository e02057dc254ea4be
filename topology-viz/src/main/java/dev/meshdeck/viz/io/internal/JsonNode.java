package dev.meshdeck.viz.io.internal;

import dev.meshdeck.viz.io.TopologyFormatException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed JSON value together with its JSON path ({@code $.edges[3].metrics}), so that every read that
 * finds the wrong thing fails with a {@link TopologyFormatException} saying where and what was expected.
 */
public record JsonNode(Object value, String path) {

    public static JsonNode root(Object value) {
        return new JsonNode(value, "$");
    }

    public boolean isNull() {
        return value == JsonParser.NULL;
    }

    /** The fields of an object, after checking that it has no field outside {@code allowed}. */
    public Map<String, Object> object(Set<String> allowed) {
        if (!(value instanceof Map<?, ?> map)) {
            throw fail(describe() + " (expected: an object)");
        }
        for (Object key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw new TopologyFormatException(path + "." + key, "unknown field (expected one of "
                        + allowed.stream().sorted().toList() + ")");
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        return fields;
    }

    /** The object's field {@code name}, or {@code null} if absent or JSON null. */
    public JsonNode optional(String name) {
        if (!(value instanceof Map<?, ?> map)) {
            throw fail(describe() + " (expected: an object)");
        }
        Object v = map.get(name);
        return v == null || v == JsonParser.NULL ? null : new JsonNode(v, path + "." + name);
    }

    public JsonNode required(String name) {
        JsonNode n = optional(name);
        if (n == null) {
            throw new TopologyFormatException(path + "." + name, "missing");
        }
        return n;
    }

    public List<JsonNode> array() {
        if (!(value instanceof List<?> list)) {
            throw fail(describe() + " (expected: an array)");
        }
        List<JsonNode> result = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            result.add(new JsonNode(list.get(i), path + "[" + i + "]"));
        }
        return result;
    }

    public String string() {
        if (!(value instanceof String s)) {
            throw fail(describe() + " (expected: a string)");
        }
        return s;
    }

    public double number() {
        if (!(value instanceof Double d)) {
            throw fail(describe() + " (expected: a number)");
        }
        return d;
    }

    public <E extends Enum<E>> E enumValue(Class<E> type) {
        String s = string();
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            throw fail("'" + s + "' (expected one of " + Arrays.toString(type.getEnumConstants()) + ")");
        }
    }

    /** The member {@code name} of this object, as the child node. */
    public JsonNode child(String name, Object childValue) {
        return new JsonNode(childValue, path + "." + name);
    }

    public TopologyFormatException fail(String message) {
        return new TopologyFormatException(path, message);
    }

    private String describe() {
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        return String.valueOf(value);
    }
}
