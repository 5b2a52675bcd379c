package dev.driftlock.notification.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    final RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(60));

    @Test
    void backoffDoublesFromTheInitialWaitUpToTheMaximum() {
        assertEquals(Duration.ofMillis(500), policy.delayAfter(1, null));
        assertEquals(Duration.ofMillis(1000), policy.delayAfter(2, null));
        assertEquals(Duration.ofMillis(2000), policy.delayAfter(3, null));
        assertEquals(Duration.ofMillis(16000), policy.delayAfter(6, null));
        assertEquals(Duration.ofSeconds(30), policy.delayAfter(7, null));
        assertEquals(Duration.ofSeconds(30), policy.delayAfter(60, null));
    }

    @Test
    void aProvidersRetryAfterWinsOverBackoffButIsCapped() {
        assertEquals(Duration.ofSeconds(3), policy.delayAfter(1, Duration.ofSeconds(3)));
        assertEquals(Duration.ofSeconds(60), policy.delayAfter(1, Duration.ofHours(1)));
    }

    @Test
    void attemptsStopAtTheMaximum() {
        assertTrue(policy.mayRetry(5));
        assertFalse(policy.mayRetry(6));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        assertEquals(Duration.ofSeconds(2), ResendClient.retryAfter("2", now));
        assertEquals(Duration.ofSeconds(90), ResendClient.retryAfter("Sat, 21 Nov 2026 10:01:30 GMT", now));
        assertEquals(Duration.ZERO, ResendClient.retryAfter("Sat, 21 Nov 2026 09:00:00 GMT", now));
        assertNull(ResendClient.retryAfter(null, now));
        assertNull(ResendClient.retryAfter("soon", now));
    }
}
