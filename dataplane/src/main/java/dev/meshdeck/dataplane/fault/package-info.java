/**
 * Envoy's fault filter decision: {@link dev.meshdeck.dataplane.fault.FaultDecider#decide} turns a route's
 * {@code Fault} settings, the request's fault headers and the random into a
 * {@link dev.meshdeck.dataplane.fault.FaultDecision} (delay, abort status) that the proxy's fault filter
 * carries out.
 */
package dev.meshdeck.dataplane.fault;
