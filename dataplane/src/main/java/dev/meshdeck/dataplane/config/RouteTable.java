package dev.meshdeck.dataplane.config;

import java.util.List;
import java.util.Objects;

/** A route table (an RDS {@code RouteConfiguration}): virtual hosts, picked by the request's host. */
public record RouteTable(String name, List<VirtualHost> virtualHosts) {
    public RouteTable {
        Objects.requireNonNull(name, "name");
        virtualHosts = List.copyOf(virtualHosts);
    }
}
