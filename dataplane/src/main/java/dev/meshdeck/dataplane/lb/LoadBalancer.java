package dev.meshdeck.dataplane.lb;

import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Picks an endpoint of one cluster for each try of a request. Implementations keep their own state (the
 * round-robin position, requests in flight per endpoint, ejected endpoints) and are safe to call from
 * many event loops at once. {@link #update} takes a new endpoint set (an EDS update) in place: endpoints
 * that stay keep their state.
 */
public interface LoadBalancer extends AutoCloseable {

    /**
     * An endpoint for one try.
     *
     * @param hash    the request's hash for ring hash / Maglev (from the route's hash policies), if any
     * @param exclude endpoints already tried by this request (retries prefer others, as Envoy's
     *                {@code previous_hosts} predicate does); ignored when nothing else is left
     * @return empty when the cluster has no (healthy) endpoint
     */
    Optional<Endpoint> pick(OptionalLong hash, Set<Endpoint> exclude);

    /** A try to {@code endpoint} started (least-request counts it). */
    void started(Endpoint endpoint);

    /**
     * A try to {@code endpoint} ended: {@code status} is the upstream's HTTP status, 0 when the connection
     * failed or was reset, {@link #TIMEOUT} when the try timed out here (outlier detection counts these two as
     * local-origin failures), or {@link #CLIENT_GONE} when the try was cancelled because the client left (it
     * says nothing about the endpoint: outlier detection ignores it).
     */
    void finished(Endpoint endpoint, int status);

    /**
     * The cluster's endpoints are now {@code endpoints}: those that stay (same host and port) keep their
     * ejection state and requests in flight, removed ones are forgotten, new ones start afresh. Hash tables
     * (ring hash, Maglev) are rebuilt only when the set of endpoints or their weights changed.
     */
    void update(List<Endpoint> endpoints);

    /** The endpoints as the balancer sees them now, in its order: for the admin endpoint's {@code /clusters}. */
    List<HostStatus> hosts();

    /**
     * One endpoint's state: whether outlier detection has ejected it now, its tries in flight, and the tries it
     * has had since it joined the cluster.
     */
    record HostStatus(Endpoint endpoint, boolean ejected, int activeRequests, TryCounts tries) {
    }

    /**
     * Tries of one endpoint so far, counted from {@link #started} and {@link #finished} (Envoy's per-host
     * {@code rq_*} of {@code /clusters}): {@code total} started, its connection's failure included;
     * {@code success} answered below 500 (a 101 included); {@code error} answered 5xx, reset, or whose
     * connection failed; {@code timeout} timed out in the proxy. A try cancelled because the client left counts
     * in {@code total} only.
     */
    record TryCounts(long total, long success, long error, long timeout) {
    }

    /** The cluster is gone: stop timers. */
    @Override
    void close();

    /** The status of a try cancelled because the client went away (nginx's and Envoy's 499). */
    int CLIENT_GONE = 499;

    /** The status of a try that timed out in the proxy (per-try or route timeout): a local-origin failure. */
    int TIMEOUT = -1;
}
