/**
 * Load balancing, pure and deterministic under an injected random and clock:
 * {@link dev.meshdeck.dataplane.lb.LoadBalancers#create} makes a thread-safe
 * {@link dev.meshdeck.dataplane.lb.LoadBalancer} per cluster (round robin, least request, random, ring
 * hash, Maglev; all with weights and outlier detection), and
 * {@link dev.meshdeck.dataplane.lb.ClusterLimits} holds a cluster's circuit-breaker counters for the
 * connection pool. The proxy calls, per try: {@code pick}, {@code started}, then {@code finished} with the
 * status (0 for a connect failure or reset, {@code TIMEOUT} for a local timeout); an EDS update calls
 * {@code update(endpoints)}, which keeps the state of endpoints that stay.
 */
package dev.meshdeck.dataplane.lb;
