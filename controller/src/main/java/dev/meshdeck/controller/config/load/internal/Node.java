package dev.meshdeck.controller.config.load.internal;

import java.util.List;

/**
 * A YAML value with the (1-based, file-relative) line it was written on: a mapping, a list or a scalar.
 * This is all the binders need to report errors precisely; it knows nothing of the mesh config.
 */
public sealed interface Node permits Node.MapNode, Node.ListNode, Node.ScalarNode {

    int line();

    /** What the value is, for messages: {@code a mapping}, {@code a list}, {@code a number}, ... */
    String describe();

    /** A mapping; entries keep their order and duplicates (the binders report those). */
    record MapNode(int line, List<Entry> entries) implements Node {
        public MapNode {
            entries = List.copyOf(entries);
        }

        @Override
        public String describe() {
            return "a mapping";
        }

        /** {@code key: value}; {@code line} is the line of the key. */
        public record Entry(String key, int line, Node value) {
        }
    }

    record ListNode(int line, List<Node> items) implements Node {
        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar as YAML typed it: {@code 80} is an integer, {@code "80"} a string, {@code true} a boolean,
     * {@code ~} or nothing at all a null. {@code text} is the scalar as written (without quotes).
     */
    record ScalarNode(int line, Type type, String text) implements Node {
        public enum Type { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

        @Override
        public String describe() {
            return switch (type) {
                case STRING -> "a string";
                case INTEGER, FLOAT -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "null";
            };
        }

        /** For a boolean: whether it is true ({@code true}, or YAML 1.1's {@code yes}, {@code on}, {@code y}). */
        public boolean isTrue() {
            return type == Type.BOOLEAN && java.util.Set.of("true", "yes", "on", "y")
                    .contains(text.toLowerCase(java.util.Locale.ROOT));
        }

        public boolean isNull() {
            return type == Type.NULL;
        }
    }
}
