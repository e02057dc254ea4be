/**
 * Request routing, pure and deterministic: {@link dev.meshdeck.dataplane.route.DefaultRouter} maps a
 * {@link dev.meshdeck.dataplane.route.RequestHead} through a route table to a
 * {@link dev.meshdeck.dataplane.route.RouteResult} (forward to a cluster, redirect, or a 404 reason);
 * {@link dev.meshdeck.dataplane.route.HashKeys} computes the request hash for consistent-hash clusters.
 * No Netty here: the proxy builds the {@code RequestHead} from HTTP/1.1 or HTTP/2 and acts on the result.
 */
package dev.meshdeck.dataplane.route;
