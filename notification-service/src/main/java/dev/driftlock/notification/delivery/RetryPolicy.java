package dev.driftlock.notification.delivery;

import java.time.Duration;

/**
 * Exponential backoff that honours a provider's {@code Retry-After}.
 *
 * @param maxAttempts    attempts in all, the first one included
 * @param initialBackoff wait after the first failed attempt; doubled per attempt
 * @param maxBackoff     upper bound of the exponential wait
 * @param maxRetryAfter  upper bound of a provider's Retry-After
 */
record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

    /** Whether another attempt may follow {@code attemptsDone} failed ones. */
    boolean mayRetry(int attemptsDone) {
        return attemptsDone < maxAttempts;
    }

    /** How long to wait after {@code attemptsDone} (>= 1) failed attempts. */
    Duration delayAfter(int attemptsDone, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter;
        }
        int doublings = Math.min(attemptsDone - 1, 30);
        long millis = initialBackoff.toMillis() << doublings;
        return millis <= 0 || millis > maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(millis);
    }
}
