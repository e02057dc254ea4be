package dev.meshdeck.dataplane.proxy;

import dev.meshdeck.dataplane.lb.LoadBalancer.TryCounts;
import java.util.List;

/**
 * One cluster as the admin endpoint's {@code /clusters} shows it: its endpoints in its balancer's order, each with
 * what Envoy reports per host.
 *
 * @param name      the cluster's name
 * @param endpoints its endpoints now
 */
public record ClusterStatus(String name, List<EndpointStatus> endpoints) {
    public ClusterStatus {
        endpoints = List.copyOf(endpoints);
    }

    /**
     * One endpoint of the cluster.
     *
     * @param host          its IP address (or host name)
     * @param port          its port
     * @param weight        its load-balancing weight
     * @param ejected       whether outlier detection has ejected it now
     * @param cxTotal       connections opened to it (attempts)
     * @param cxActive      connections open now
     * @param cxConnectFail connection attempts that failed (connect or TLS handshake)
     * @param rqActive      tries in flight
     * @param tries         its tries so far, by outcome
     */
    public record EndpointStatus(String host, int port, int weight, boolean ejected, long cxTotal, long cxActive,
                                 long cxConnectFail, int rqActive, TryCounts tries) {
        /** {@code host:port}, as Envoy's text names it ({@code [v6]:port} for an IPv6 address). */
        public String address() {
            return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
        }
    }
}
