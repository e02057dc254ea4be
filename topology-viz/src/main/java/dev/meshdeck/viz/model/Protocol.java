package dev.meshdeck.viz.model;

/** The protocol of the requests on an edge. */
public enum Protocol {
    HTTP,
    HTTP2,
    GRPC,
    TCP
}
