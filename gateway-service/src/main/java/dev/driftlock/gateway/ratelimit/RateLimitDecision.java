package dev.driftlock.gateway.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of a rate-limit check and the headers it answers with
 * (draft-ietf-httpapi-ratelimit-headers): {@code RateLimit-Policy} lists both policies,
 * {@code RateLimit} reports the one with the fewest requests left, and a refused request gets
 * {@code Retry-After} in whole seconds, rounded up.
 *
 * @param allowed whether the request may pass
 * @param headers the headers to add to the answer (empty when the limiter was bypassed)
 */
public record RateLimitDecision(boolean allowed, Map<String, String> headers) {

    static final String KEY_POLICY = "key";
    static final String ORG_POLICY = "org";
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** No limit was applied (Redis unreachable and fail-open). */
    public static final RateLimitDecision BYPASSED = new RateLimitDecision(true, Map.of());

    /** One bucket's state after the check. */
    record Bucket(String policy, long quota, boolean consumed, long remaining, long nanosToReset, long nanosToRetry) {
    }

    /** {@code org} is null when the key's bucket refused and the org's was not touched. */
    static RateLimitDecision of(Duration window, Bucket key, long orgQuota, Bucket org) {
        long windowSeconds = window.toSeconds();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("RateLimit-Policy", "\"" + KEY_POLICY + "\";q=" + key.quota() + ";w=" + windowSeconds
                + ", \"" + ORG_POLICY + "\";q=" + orgQuota + ";w=" + windowSeconds);
        Bucket limiting = org != null && (!org.consumed() || org.remaining() < key.remaining()) ? org : key;
        headers.put("RateLimit", "\"" + limiting.policy() + "\";r=" + limiting.remaining() + ";t=" + ceilSeconds(limiting.nanosToReset()));
        boolean allowed = key.consumed() && (org == null || org.consumed());
        if (!allowed) {
            headers.put("Retry-After", Long.toString(Math.max(1, ceilSeconds(limiting.nanosToRetry()))));
        }
        return new RateLimitDecision(allowed, Map.copyOf(headers));
    }

    static long ceilSeconds(long nanos) {
        return (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
    }
}
