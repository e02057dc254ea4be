/**
 * Retry decisions: {@link dev.meshdeck.dataplane.retry.RetryDecider} applies Envoy's {@code retry_on}
 * conditions to a {@link dev.meshdeck.dataplane.retry.TryOutcome}, refuses to replay non-idempotent
 * requests that may have reached the app unless the request opts in, and computes Envoy's jittered
 * exponential backoff.
 */
package dev.meshdeck.dataplane.retry;
