package dev.meshdeck.controller.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One numbered revision of the config.
 *
 * @param number    1, 2, 3, ... in apply order
 * @param time      when it became live
 * @param source    where it came from: file names, {@code rollback to 3}, {@code --config PATH}
 * @param resources how many resources it holds
 * @param summary   what changed against the previous revision, e.g. {@code +1 ~2 -0}
 */
public record RevisionInfo(int number, Instant time, String source, int resources, String summary) {
    public RevisionInfo {
        Objects.requireNonNull(time, "time");
        source = source == null ? "" : source;
        summary = summary == null ? "" : summary;
    }
}
