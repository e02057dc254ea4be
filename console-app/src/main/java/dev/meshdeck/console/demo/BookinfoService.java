package dev.meshdeck.console.demo;

import java.util.List;

/** The demo mesh's workloads, in the spirit of Istio's Bookinfo. */
public enum BookinfoService {
    PRODUCTPAGE("productpage", "v1", List.of("details", "reviews")),
    DETAILS("details", "v1", List.of()),
    REVIEWS_V1("reviews", "v1", List.of()),
    REVIEWS_V2("reviews", "v2", List.of("ratings")),
    REVIEWS_V3("reviews", "v3", List.of("ratings")),
    RATINGS("ratings", "v1", List.of());

    private final String service;
    private final String version;
    private final List<String> calls;

    BookinfoService(String service, String version, List<String> calls) {
        this.service = service;
        this.version = version;
        this.calls = calls;
    }

    public String service() {
        return service;
    }

    public String version() {
        return version;
    }

    /** The services this workload calls for every request it serves. */
    public List<String> calls() {
        return calls;
    }

    public String workload() {
        return service + "-" + version;
    }
}
