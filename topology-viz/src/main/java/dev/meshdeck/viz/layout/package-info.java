/**
 * Layout as a pure function: {@link dev.meshdeck.viz.layout.LayoutAlgorithm} maps a graph and the previous
 * {@link dev.meshdeck.viz.layout.Layout} to a new one, keeping every node that already had a position
 * where it was.
 */
package dev.meshdeck.viz.layout;
