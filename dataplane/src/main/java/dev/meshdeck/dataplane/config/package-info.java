/**
 * The sidecar's runtime config: plain immutable records, validated once at the xDS boundary (the
 * {@code xds} package turns Envoy protos into these, NACKing what it cannot apply). Everything behind the
 * boundary — the filters, the load balancers, the proxy — reads only these records, never protos.
 *
 * <p>One {@link dev.meshdeck.dataplane.config.ProxyConfig} is a complete, consistent picture: every route's
 * clusters exist, every listener's route table exists. A new one replaces the old atomically; requests in
 * flight keep the one they started with.
 */
package dev.meshdeck.dataplane.config;
