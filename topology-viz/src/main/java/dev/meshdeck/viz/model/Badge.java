package dev.meshdeck.viz.model;

/** A marker drawn on a node for something the engineer should notice. */
public enum Badge {
    FAULT_INJECTED,
    CIRCUIT_OPEN,
    EXPERIMENT_RUNNING
}
