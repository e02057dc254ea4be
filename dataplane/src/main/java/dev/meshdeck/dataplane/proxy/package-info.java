/**
 * The sidecar's proxy engine: {@link dev.meshdeck.dataplane.proxy.SidecarProxy} binds a
 * {@link dev.meshdeck.dataplane.config.ProxyConfig}'s listeners and proxies HTTP/1.1 through a chain of
 * small named filters to pooled upstream connections.
 *
 * <p>Per client connection the pipeline is: idle timeout, header timeout (below the codec, answers 408 in raw
 * bytes), {@code HttpServerCodec} (no aggregation: bodies stream), the {@code Upgrade: h2c} handshake,
 * 100-continue, and the proxy handler, which makes
 * one {@code Exchange} per request on the config snapshot current when its headers arrived. The filter
 * chain of a listener is: request headers (hop-by-hop, {@code x-request-id}, {@code x-forwarded-for}),
 * route (the {@link dev.meshdeck.dataplane.route.Router} seam; 404s and redirects), then the listener's
 * xDS HTTP filters by name: {@code envoy.filters.http.fault} ({@link dev.meshdeck.dataplane.fault.FaultDecider})
 * and {@code envoy.filters.http.router} (forwarding: the load balancer with the request's
 * {@link dev.meshdeck.dataplane.route.HashKeys hash}, circuit breakers
 * ({@link dev.meshdeck.dataplane.lb.ClusterLimits}), pool, route and per-try timeouts, retries as
 * {@link dev.meshdeck.dataplane.retry.RetryDecider} decides while the body is buffered and nothing was
 * answered yet). Everything counts into the {@link dev.meshdeck.dataplane.stats.Stats} handed to the proxy.
 *
 * <p>Backpressure: client and upstream channels have auto-read off; the next chunk is read only after the
 * previous one was written to the other side (Netty's proxy example), so memory stays bounded whatever
 * the body's size. All I/O of one request stays on its client connection's event loop: upstream pools
 * are per event loop and endpoint; circuit-breaker counters are per cluster.
 *
 * <p>HTTP/2 goes in front of the same handler: a protocol detector in place of the codec that sees the
 * h2c preface (or an HTTP/1.1 {@code Upgrade: h2c} handshake) switches to {@code Http2FrameCodec} +
 * {@code Http2MultiplexHandler} behind an HTTP/2 header timeout, and each stream's
 * child channel gets {@code Http2StreamFrameToHttpObjectCodec} and the same proxy handler, so exchanges,
 * filters and trailers ({@code LastHttpContent.trailingHeaders}) work unchanged. A request that came over
 * HTTP/2 goes upstream over HTTP/2 (a stream on a shared h2c connection per event loop and endpoint, within
 * {@code max_connections} and the upstream's {@code MAX_CONCURRENT_STREAMS}), so gRPC works end to end, unless
 * the cluster says its endpoints speak HTTP/1.1 only (then the request is translated). Connections idle for the
 * listener's or cluster's {@code idle_timeout} close. An EDS update keeps a cluster's balancer and pools.
 * WebSocket upgrades over HTTP/1.1 turn both connections into a byte relay after the upstream's 101. Routes'
 * mirrors get a fire-and-forget copy of requests whose body is buffered.
 *
 * <p>TLS: a listener with a TLS filter chain gets {@code DownstreamTls} in front of the protocol detector (a
 * ClientHello is terminated with the workload certificate, client certificates required and verified,
 * {@code x-forwarded-client-cert} set; plain text passes only on a PERMISSIVE listener); a cluster with TLS
 * gets an {@code SslHandler} first in each new upstream connection, offering by ALPN the protocol its ALPN
 * list picks (a single {@code h2} or {@code http/1.1} overrides the cluster's protocol options), and checks
 * the server's SANs ({@code UpstreamTls}). Certificates come from
 * {@link dev.meshdeck.dataplane.tls.TlsContexts}. See {@code docs/sidecar-proxy.md}.
 */
package dev.meshdeck.dataplane.proxy;
