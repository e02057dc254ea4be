/**
 * The mesh configuration users write, as immutable records: Istio's {@code networking.istio.io}
 * {@code VirtualService}, {@code DestinationRule}, {@code ServiceEntry} and {@code WorkloadEntry}.
 *
 * <p>Field names follow Istio's API so that a reader who knows one knows the other. Deprecated Istio
 * fields are folded into their replacements when a document is read (for example
 * {@code fault.abort.percent} becomes {@link dev.meshdeck.controller.config.Percent}); the records hold
 * one meaning per concept. Optional scalars are {@code null} when absent; lists and maps are never null.
 */
package dev.meshdeck.controller.config;
