/**
 * Serving xDS: the gRPC server, the snapshots it serves and what the proxies did with them.
 *
 * <p>Wiring, in order:
 * <pre>{@code
 * ProxyRegistry registry = new ProxyRegistry(clock, scheduler);               // who is in the mesh
 * SimpleCache<String> cache = XdsServer.newCache();                            // one snapshot per node id
 * SyncTracker tracker = new SyncTracker(registry, cache, clock);               // SYNCED / STALE / NACKED
 * XdsServer server = XdsServer.start(address, cache, List.of(registry, tracker));
 * SnapshotPublisher publisher = new SnapshotPublisher(cache, registry, translated::snapshotFor);
 * // on a config change, or a membership change (registry.onChange), after translating again:
 * publisher.publishAll(translated::snapshotFor);
 * }</pre>
 *
 * <p>A NACK is not answered with the rejected version again: the proxy keeps its last good config and gets
 * the next version when the snapshot changes (as Istio does); see {@code internal.NackAwareAdsService}.
 */
package dev.meshdeck.controller.xds;
