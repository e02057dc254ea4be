package dev.meshdeck.viz.view;

import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.Health;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which nodes are shown: those whose id or label contains {@code text} (ignoring case), in
 * {@code namespace} (if set; external nodes have none and are then hidden), with a health in
 * {@code healths} (if not empty). Edges are shown when both their ends are.
 */
public record NodeFilter(String text, String namespace, Set<Health> healths) {

    public static final NodeFilter ALL = new NodeFilter(null, null, null);

    public NodeFilter {
        text = text == null || text.isBlank() ? null : text.strip().toLowerCase(Locale.ROOT);
        namespace = namespace == null || namespace.isBlank() ? null : namespace;
        healths = healths == null || healths.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(healths));
    }

    public boolean isAll() {
        return text == null && namespace == null && healths.isEmpty();
    }

    public boolean matches(GraphNode node) {
        if (namespace != null && !namespace.equals(node.namespace())) {
            return false;
        }
        if (!healths.isEmpty() && !healths.contains(node.health())) {
            return false;
        }
        return text == null || matchesText(node, text);
    }

    /** Whether the id or label of {@code node} contains {@code query} (already lower case). */
    public static boolean matchesText(GraphNode node, String query) {
        return node.id().toLowerCase(Locale.ROOT).contains(query)
                || node.label().toLowerCase(Locale.ROOT).contains(query);
    }
}
