package dev.meshdeck.dataplane.stats;

import java.util.regex.Pattern;

/**
 * Which stats an admin page shows: Envoy's {@code filter} (a regular expression found anywhere in the stat's name)
 * and {@code usedonly} (only stats in use: a counter or gauge above zero, a histogram with a value).
 *
 * @param filter   null: every name
 * @param usedOnly whether stats not in use are left out
 */
public record StatsFilter(Pattern filter, boolean usedOnly) {
    /** Every stat. */
    public static final StatsFilter ALL = new StatsFilter(null, false);

    /**
     * Whether the counter or gauge {@code name} of {@code value} is shown; {@code used}: whether it was ever changed
     * (Envoy's {@code usedonly} shows those, a gauge back at zero included).
     */
    public boolean counter(String name, long value, boolean used) {
        return named(name) && (!usedOnly || used || value != 0);
    }

    /** Whether the histogram {@code name} is shown. */
    public boolean histogram(String name, Histogram h) {
        return named(name) && (!usedOnly || h.count() > 0);
    }

    private boolean named(String name) {
        return filter == null || filter.matcher(name).find();
    }
}
