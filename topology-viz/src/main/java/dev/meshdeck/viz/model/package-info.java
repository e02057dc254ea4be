/**
 * The immutable topology model: {@link dev.meshdeck.viz.model.TopologyGraph} of
 * {@link dev.meshdeck.viz.model.GraphNode}s and {@link dev.meshdeck.viz.model.GraphEdge}s, grouped by service
 * and namespace, with cheap metric updates and {@link dev.meshdeck.viz.model.NamespaceCollapse}. Plain Java,
 * no JavaFX.
 */
package dev.meshdeck.viz.model;
