package dev.meshdeck.dataplane.xds.internal;

import dev.meshdeck.dataplane.config.ClusterConfig.Endpoint;
import dev.meshdeck.dataplane.xds.XdsConfigException;
import dev.meshdeck.dataplane.xds.proto.envoy.config.core.v3.HealthStatus;
import dev.meshdeck.dataplane.xds.proto.envoy.config.core.v3.SocketAddress;
import dev.meshdeck.dataplane.xds.proto.envoy.config.endpoint.v3.ClusterLoadAssignment;
import dev.meshdeck.dataplane.xds.proto.envoy.config.endpoint.v3.LbEndpoint;
import dev.meshdeck.dataplane.xds.proto.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code ClusterLoadAssignment} (EDS, or a cluster's inline {@code load_assignment}) into weighted
 * endpoints. Endpoints marked unhealthy or draining are left out, as Envoy does. With several localities
 * that carry weights, each locality gets its weight's share and splits it by endpoint weight; an endpoint's
 * weight is then its share of the whole, in integers.
 */
public final class EndpointReader {
    private EndpointReader() {
    }

    public static List<Endpoint> read(ClusterLoadAssignment cla, String where) {
        if (cla.getPolicy().getDropOverloadsCount() > 0) {
            throw new XdsConfigException(where + ".policy.drop_overloads: not supported (expected: none)");
        }
        List<List<Endpoint>> localities = new ArrayList<>();
        List<Integer> localityWeights = new ArrayList<>();
        for (LocalityLbEndpoints loc : cla.getEndpointsList()) {
            if (loc.getPriority() != 0) {
                throw new XdsConfigException(where + ".endpoints: priority " + loc.getPriority()
                        + " (expected: 0; failover between priorities is not supported)");
            }
            List<Endpoint> endpoints = new ArrayList<>();
            for (LbEndpoint e : loc.getLbEndpointsList()) {
                if (e.getHealthStatus() == HealthStatus.UNHEALTHY || e.getHealthStatus() == HealthStatus.DRAINING
                        || e.getHealthStatus() == HealthStatus.TIMEOUT) {
                    continue;
                }
                endpoints.add(endpoint(e, where));
            }
            localities.add(endpoints);
            localityWeights.add(loc.hasLoadBalancingWeight() ? ProtoValues.clampedUint32(loc.getLoadBalancingWeight().getValue()) : 0);
        }
        boolean weighted = localities.size() > 1 && localityWeights.stream().anyMatch(w -> w > 0);
        if (!weighted) {
            return localities.stream().flatMap(List::stream).toList();
        }
        return byLocalityWeight(localities, localityWeights);
    }

    private static Endpoint endpoint(LbEndpoint e, String where) {
        if (!e.hasEndpoint()) {
            throw new XdsConfigException(where + ".endpoints.lb_endpoints: no endpoint (expected: endpoint.address)");
        }
        if (!e.getEndpoint().getAddress().hasSocketAddress()) {
            throw new XdsConfigException(where + ".endpoints.lb_endpoints.endpoint.address: no socket_address "
                    + "(expected: an address and port_value)");
        }
        SocketAddress sa = e.getEndpoint().getAddress().getSocketAddress();
        String f = where + ".endpoints.lb_endpoints[" + sa.getAddress() + "]";
        if (sa.getAddress().isEmpty()) {
            throw new XdsConfigException(f + ".address: empty (expected: an IP address or host name)");
        }
        if (sa.getPortSpecifierCase() != SocketAddress.PortSpecifierCase.PORT_VALUE) {
            throw new XdsConfigException(f + ": no port_value (expected: port_value 1..65535)");
        }
        if (sa.getPortValue() < 1 || sa.getPortValue() > 65535) {
            throw new XdsConfigException(f + ".port_value: " + sa.getPortValue() + " (expected: 1..65535)");
        }
        int weight = e.hasLoadBalancingWeight() ? ProtoValues.clampedUint32(e.getLoadBalancingWeight().getValue()) : 1;
        if (e.hasLoadBalancingWeight() && weight < 1) {
            throw new XdsConfigException(f + ".load_balancing_weight: 0 (expected: 1 or more)");
        }
        return new Endpoint(sa.getAddress(), sa.getPortValue(), weight);
    }

    /**
     * Endpoint j of locality i gets {@code W_i * w_ij / S_i} of the traffic (W locality weight, S the sum of
     * its endpoints' weights). Multiplying through by the product of all S keeps that exact in integers;
     * dividing by the common divisor brings it back to small numbers (the controller's usual config, where
     * W_i = S_i, gives back the endpoint weights themselves). Localities without weight get no traffic.
     */
    private static List<Endpoint> byLocalityWeight(List<List<Endpoint>> localities, List<Integer> weights) {
        BigInteger product = BigInteger.ONE;
        List<BigInteger> sums = new ArrayList<>();
        for (List<Endpoint> loc : localities) {
            BigInteger s = BigInteger.valueOf(loc.stream().mapToLong(Endpoint::weight).sum());
            sums.add(s);
            if (s.signum() > 0) {
                product = product.multiply(s);
            }
        }
        List<Endpoint> raw = new ArrayList<>();
        List<BigInteger> scaled = new ArrayList<>();
        for (int i = 0; i < localities.size(); i++) {
            if (weights.get(i) == 0 || sums.get(i).signum() == 0) {
                continue;
            }
            BigInteger perUnit = BigInteger.valueOf(weights.get(i)).multiply(product).divide(sums.get(i));
            for (Endpoint e : localities.get(i)) {
                raw.add(e);
                scaled.add(perUnit.multiply(BigInteger.valueOf(e.weight())));
            }
        }
        BigInteger gcd = scaled.stream().reduce(BigInteger.ZERO, BigInteger::gcd);
        BigInteger max = scaled.stream().map(v -> v.divide(gcd)).reduce(BigInteger.ZERO, BigInteger::max);
        // Keep weights within int range; rounding only happens for unusual weight mixes.
        double shrink = max.bitLength() > 30 ? max.doubleValue() / (1 << 30) : 1.0;
        List<Endpoint> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            double w = scaled.get(i).divide(gcd).doubleValue() / shrink;
            Endpoint e = raw.get(i);
            out.add(new Endpoint(e.host(), e.port(), (int) Math.max(1, Math.round(w))));
        }
        return out;
    }
}
