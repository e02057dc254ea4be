package dev.meshdeck.dataplane.lb.internal;

import dev.meshdeck.dataplane.stats.Stats;

/**
 * A cluster's outlier detection stats under Envoy's names, {@code cluster.<name>.outlier_detection.*}:
 * {@code ejections_active} (ejected now; goes up and down), {@code ejections_enforced_total},
 * {@code ejections_overflow} (ejections refused by {@code max_ejection_percent}), and per detector
 * {@code ejections_detected_<kind>} / {@code ejections_enforced_<kind>} with kind {@code consecutive_5xx},
 * {@code consecutive_gateway_failure}, {@code consecutive_local_origin_failure}, {@code success_rate},
 * {@code local_origin_success_rate}, {@code failure_percentage}, {@code failure_percentage_local_origin}. Bumped by {@link OutlierDetector}.
 */
final class OutlierStats {
    /** Why an endpoint was found to be an outlier, with Envoy's stat suffix. */
    enum Kind {
        CONSECUTIVE_5XX("consecutive_5xx"),
        CONSECUTIVE_GATEWAY_FAILURE("consecutive_gateway_failure"),
        CONSECUTIVE_LOCAL_ORIGIN_FAILURE("consecutive_local_origin_failure"),
        SUCCESS_RATE("success_rate"),
        LOCAL_ORIGIN_SUCCESS_RATE("local_origin_success_rate"),
        FAILURE_PERCENTAGE("failure_percentage"),
        FAILURE_PERCENTAGE_LOCAL_ORIGIN("failure_percentage_local_origin");

        final String stat;

        Kind(String stat) {
            this.stat = stat;
        }
    }

    final Stats.Counter active;
    final Stats.Counter enforcedTotal;
    final Stats.Counter overflow;
    private final Stats.Counter[] detected = new Stats.Counter[Kind.values().length];
    private final Stats.Counter[] enforced = new Stats.Counter[Kind.values().length];

    OutlierStats(Stats stats, String cluster) {
        String p = "cluster." + cluster + ".outlier_detection.";
        active = stats.gauge(p + "ejections_active");
        enforcedTotal = stats.counter(p + "ejections_enforced_total");
        overflow = stats.counter(p + "ejections_overflow");
        for (Kind k : Kind.values()) {
            detected[k.ordinal()] = stats.counter(p + "ejections_detected_" + k.stat);
            enforced[k.ordinal()] = stats.counter(p + "ejections_enforced_" + k.stat);
        }
    }

    Stats.Counter detected(Kind kind) {
        return detected[kind.ordinal()];
    }

    Stats.Counter enforced(Kind kind) {
        return enforced[kind.ordinal()];
    }
}
