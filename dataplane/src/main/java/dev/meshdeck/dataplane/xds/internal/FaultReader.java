package dev.meshdeck.dataplane.xds.internal;

import dev.meshdeck.dataplane.config.Route.Fault;
import dev.meshdeck.dataplane.xds.XdsConfigException;
import dev.meshdeck.dataplane.xds.proto.envoy.extensions.filters.common.fault.v3.FaultDelay;
import dev.meshdeck.dataplane.xds.proto.envoy.extensions.filters.http.fault.v3.FaultAbort;
import dev.meshdeck.dataplane.xds.proto.envoy.extensions.filters.http.fault.v3.HTTPFault;
import java.time.Duration;

/**
 * Envoy's fault filter config ({@code HTTPFault}, filter {@value #NAME}): a delay (fixed or asked for by
 * header) and an abort (HTTP or gRPC status, or asked for by header), each for a share of requests.
 */
public final class FaultReader {
    public static final String NAME = "envoy.filters.http.fault";

    private FaultReader() {
    }

    /** The route's fault settings, or {@code null} when {@code fault} neither delays nor aborts. */
    public static Fault read(HTTPFault fault, String field) {
        if (fault.hasResponseRateLimit()) {
            throw new XdsConfigException(field + ".response_rate_limit: not supported (expected: delay and/or abort)");
        }
        if (fault.getHeadersCount() > 0) {
            throw new XdsConfigException(field + ".headers: not supported (expected: none; match headers in the route)");
        }
        if (fault.getDownstreamNodesCount() > 0 || !fault.getUpstreamCluster().isEmpty()) {
            throw new XdsConfigException(field + ".downstream_nodes/upstream_cluster: not supported (expected: none)");
        }
        if (fault.hasMaxActiveFaults()) {
            throw new XdsConfigException(field + ".max_active_faults: not supported (expected: unset)");
        }
        if (!fault.hasDelay() && !fault.hasAbort()) {
            return null;
        }
        Duration delay = Duration.ZERO;
        double delayFraction = 0;
        boolean headerDelay = false;
        if (fault.hasDelay()) {
            FaultDelay d = fault.getDelay();
            switch (d.getFaultDelaySecifierCase()) {
                case FIXED_DELAY -> delay = ProtoValues.duration(d.getFixedDelay(), field + ".delay.fixed_delay");
                case HEADER_DELAY -> headerDelay = true;
                case FAULTDELAYSECIFIER_NOT_SET -> throw new XdsConfigException(field
                        + ".delay: neither fixed_delay nor header_delay (expected: one of them)");
            }
            delayFraction = ProtoValues.fraction(d.getPercentage(), field + ".delay.percentage");
        }
        Integer httpStatus = null;
        Integer grpcStatus = null;
        double abortFraction = 0;
        boolean headerAbort = false;
        if (fault.hasAbort()) {
            FaultAbort a = fault.getAbort();
            switch (a.getErrorTypeCase()) {
                case HTTP_STATUS -> {
                    if (a.getHttpStatus() < 200 || a.getHttpStatus() > 599) {
                        throw new XdsConfigException(field + ".abort.http_status: " + a.getHttpStatus()
                                + " (expected: 200..599)");
                    }
                    httpStatus = a.getHttpStatus();
                }
                case GRPC_STATUS -> {
                    if (a.getGrpcStatus() > 16) {
                        throw new XdsConfigException(field + ".abort.grpc_status: " + a.getGrpcStatus()
                                + " (expected: 0..16)");
                    }
                    grpcStatus = a.getGrpcStatus();
                }
                case HEADER_ABORT -> headerAbort = true;
                case ERRORTYPE_NOT_SET -> throw new XdsConfigException(field
                        + ".abort: no error type (expected: http_status, grpc_status or header_abort)");
            }
            abortFraction = ProtoValues.fraction(a.getPercentage(), field + ".abort.percentage");
        }
        return new Fault(delay, delayFraction, headerDelay, httpStatus, grpcStatus, abortFraction, headerAbort);
    }
}
