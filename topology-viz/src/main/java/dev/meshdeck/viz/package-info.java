/**
 * A reusable JavaFX topology graph: an immutable graph model, a pure layout function and a Canvas
 * renderer. It knows nothing of the controller; the console feeds it graph snapshots. (Filled by the
 * topology-viz issue.)
 */
package dev.meshdeck.viz;
