package dev.driftlock.notification.delivery;

/**
 * Client-side rate limit: spaces requests at least {@code 1 / requestsPerSecond} apart. A caller
 * reserves the next free slot and waits until it comes; nothing is refused, so a burst of e-mails
 * drains at the provider's rate instead of earning 429s. Thread-safe.
 */
final class SendRateLimiter {

    private final long intervalNanos;
    private long nextFreeNanos = Long.MIN_VALUE;

    SendRateLimiter(double requestsPerSecond) {
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("requests per second must be positive, was " + requestsPerSecond);
        }
        this.intervalNanos = (long) (1_000_000_000L / requestsPerSecond);
    }

    /** Reserves the next slot at or after {@code nowNanos}; answers how long to wait for it (0 = go now). */
    synchronized long reserve(long nowNanos) {
        long slot = nextFreeNanos == Long.MIN_VALUE || nextFreeNanos - nowNanos < 0 ? nowNanos : nextFreeNanos;
        nextFreeNanos = slot + intervalNanos;
        return slot - nowNanos;
    }
}
