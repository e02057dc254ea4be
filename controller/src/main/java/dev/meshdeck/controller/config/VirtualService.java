package dev.meshdeck.controller.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Istio's {@code VirtualService}: how requests for some hosts are routed. Only {@code http} routes
 * are supported; {@code gateways} may only name the implicit {@code mesh} gateway.
 */
public record VirtualService(Metadata metadata, Source source, List<String> hosts, List<String> gateways,
                             List<HttpRoute> http) implements MeshResource {

    public VirtualService {
        Objects.requireNonNull(metadata, "metadata");
        source = source == null ? Source.UNKNOWN : source;
        hosts = List.copyOf(hosts);
        gateways = List.copyOf(gateways == null ? List.of() : gateways);
        http = List.copyOf(http);
    }

    @Override
    public Kind kind() {
        return Kind.VIRTUAL_SERVICE;
    }

    /** One entry of {@code http}: the first whose {@code match} fits a request handles it. */
    public record HttpRoute(String name, List<HttpMatch> match, List<RouteDestination> route, Rewrite rewrite,
                            Redirect redirect, Duration timeout, Retries retries, Fault fault,
                            List<Mirror> mirrors, Headers headers) {
        public HttpRoute {
            match = List.copyOf(match == null ? List.of() : match);
            route = List.copyOf(route == null ? List.of() : route);
            mirrors = List.copyOf(mirrors == null ? List.of() : mirrors);
            headers = headers == null ? Headers.NONE : headers;
        }

        /** A route that sends everything to the given destinations (a convenience for code and tests). */
        public static HttpRoute to(List<RouteDestination> route) {
            return new HttpRoute(null, List.of(), route, null, null, null, null, null, List.of(), null);
        }
    }

    /**
     * One entry of {@code match}: all conditions must hold. {@code withoutHeaders} inverts header matches;
     * an empty {@link StringMatch} value under {@code headers} with type {@code PRESENT} is not supported.
     */
    public record HttpMatch(String name, StringMatch uri, StringMatch method, StringMatch authority,
                            Map<String, StringMatch> headers, Map<String, StringMatch> queryParams,
                            Map<String, StringMatch> withoutHeaders, boolean ignoreUriCase) {
        public HttpMatch {
            headers = Map.copyOf(headers == null ? Map.of() : headers);
            queryParams = Map.copyOf(queryParams == null ? Map.of() : queryParams);
            withoutHeaders = Map.copyOf(withoutHeaders == null ? Map.of() : withoutHeaders);
        }
    }

    /** Istio's {@code Destination}: a host, an optional subset and an optional port number. */
    public record Destination(String host, String subset, Integer port) {
        public Destination {
            Objects.requireNonNull(host, "host");
        }
    }

    /** One weighted destination of a route. {@code weight} is {@code null} when not written. */
    public record RouteDestination(Destination destination, Integer weight, Headers headers) {
        public RouteDestination {
            Objects.requireNonNull(destination, "destination");
            headers = headers == null ? Headers.NONE : headers;
        }

        public static RouteDestination of(String host, String subset, Integer weight) {
            return new RouteDestination(new Destination(host, subset, null), weight, null);
        }
    }

    /** Istio's {@code HTTPRewrite}: replaces the matched uri part and/or the authority. */
    public record Rewrite(String uri, String authority) {
    }

    /** Istio's {@code HTTPRedirect}. {@code redirectCode} defaults to 301. */
    public record Redirect(String uri, String authority, Integer redirectCode) {
    }

    /** Istio's {@code HTTPRetry}. {@code retryOn} is Envoy's comma-separated list. */
    public record Retries(int attempts, Duration perTryTimeout, String retryOn) {
        public Retries {
            if (attempts < 0) {
                throw new IllegalArgumentException("attempts: " + attempts + " (expected: 0 or more)");
            }
        }
    }

    /** Istio's {@code HTTPFaultInjection}: a delay, an abort, or both. */
    public record Fault(Delay delay, Abort abort) {
        /** Delay a share of requests by a fixed time. */
        public record Delay(Duration fixedDelay, Percent percentage) {
            public Delay {
                Objects.requireNonNull(fixedDelay, "fixedDelay");
                percentage = percentage == null ? Percent.HUNDRED : percentage;
            }
        }

        /**
         * Answer a share of requests with an HTTP status, or with a gRPC status ({@code grpcStatus} is the
         * code name, e.g. {@code UNAVAILABLE}); exactly one of the two is set.
         */
        public record Abort(Integer httpStatus, String grpcStatus, Percent percentage) {
            public Abort {
                percentage = percentage == null ? Percent.HUNDRED : percentage;
            }
        }
    }

    /** A copy of traffic sent to another destination; answers from it are discarded. */
    public record Mirror(Destination destination, Percent percentage) {
        public Mirror {
            Objects.requireNonNull(destination, "destination");
            percentage = percentage == null ? Percent.HUNDRED : percentage;
        }
    }

    /** Istio's {@code Headers}: manipulations of request and response headers. */
    public record Headers(HeaderOperations request, HeaderOperations response) {
        public static final Headers NONE = new Headers(HeaderOperations.NONE, HeaderOperations.NONE);

        public Headers {
            request = request == null ? HeaderOperations.NONE : request;
            response = response == null ? HeaderOperations.NONE : response;
        }

        public boolean isEmpty() {
            return request.isEmpty() && response.isEmpty();
        }
    }

    /** {@code set} overwrites, {@code add} appends, {@code remove} deletes. */
    public record HeaderOperations(Map<String, String> set, Map<String, String> add, List<String> remove) {
        public static final HeaderOperations NONE = new HeaderOperations(Map.of(), Map.of(), List.of());

        public HeaderOperations {
            set = Map.copyOf(set == null ? Map.of() : set);
            add = Map.copyOf(add == null ? Map.of() : add);
            remove = List.copyOf(remove == null ? List.of() : remove);
        }

        public boolean isEmpty() {
            return set.isEmpty() && add.isEmpty() && remove.isEmpty();
        }
    }
}
