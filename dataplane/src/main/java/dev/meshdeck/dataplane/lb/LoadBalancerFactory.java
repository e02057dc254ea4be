package dev.meshdeck.dataplane.lb;

import dev.meshdeck.dataplane.config.ClusterConfig;

/**
 * Makes a cluster's load balancer, given the scheduler its outlier detection's interval timer runs on (the
 * proxy passes one of its event loops). Usually
 * {@code (cluster, scheduler) -> LoadBalancers.create(cluster, new LoadBalancers.Environment(random, clock, scheduler, stats))}.
 */
@FunctionalInterface
public interface LoadBalancerFactory {
    LoadBalancer create(ClusterConfig cluster, Scheduler scheduler);
}
