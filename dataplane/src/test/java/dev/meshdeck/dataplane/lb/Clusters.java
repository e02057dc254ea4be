package dev.meshdeck.dataplane.lb;

import dev.meshdeck.dataplane.config.ClusterConfig;
import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.config.ClusterConfig.LbPolicy;
import dev.meshdeck.dataplane.config.ClusterConfig.OutlierDetection;
import java.util.ArrayList;
import java.util.List;

/** Cluster fixtures for the balancer tests. */
final class Clusters {
    static final String NAME = "outbound|9080||reviews.default.svc.cluster.local";
    private Clusters() {
    }

    static Endpoint endpoint(int n) {
        return new Endpoint("10.0.0." + n, 9080, 1);
    }

    static Endpoint endpoint(int n, int weight) {
        return new Endpoint("10.0.0." + n, 9080, weight);
    }

    static List<Endpoint> endpoints(int count) {
        List<Endpoint> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(endpoint(i));
        }
        return out;
    }

    static ClusterConfig cluster(LbPolicy policy, List<Endpoint> endpoints) {
        return new ClusterConfig(NAME, policy, 1024, null, null, null,
                endpoints);
    }

    static ClusterConfig cluster(LbPolicy policy, List<Endpoint> endpoints, OutlierDetection outliers) {
        return new ClusterConfig(NAME, policy, 1024, null, null,
                outliers, endpoints);
    }
}
