package dev.meshdeck.controller.api;

import dev.meshdeck.controller.config.ConfigError;
import java.util.List;

/**
 * The outcome of an apply or a rollback.
 *
 * @param applied  whether the config changed (false for a dry run, for errors, and for no change)
 * @param revision the live revision afterwards (the new one if applied)
 * @param errors   everything wrong with the input; empty if valid
 * @param diff     a unified diff from the live config to the proposed one
 */
public record ApplyResult(boolean applied, int revision, List<ConfigError> errors, String diff) {
    public ApplyResult {
        errors = List.copyOf(errors);
        diff = diff == null ? "" : diff;
    }

    public boolean valid() {
        return errors.isEmpty();
    }
}
