package dev.meshdeck.dataplane.proxy.internal;

import dev.meshdeck.dataplane.stats.Stats;

/**
 * The fault filter's statistics, as Envoy's ({@code http.<listener>.fault.delays_injected} and
 * {@code aborts_injected}): requests delayed, requests aborted.
 */
final class FaultStats {
    final Stats.Counter delaysInjected;
    final Stats.Counter abortsInjected;

    FaultStats(Stats stats, String listener) {
        String p = "http." + listener + ".fault.";
        delaysInjected = stats.counter(p + "delays_injected");
        abortsInjected = stats.counter(p + "aborts_injected");
    }
}
