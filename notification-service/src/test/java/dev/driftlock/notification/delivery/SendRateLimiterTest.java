package dev.driftlock.notification.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SendRateLimiterTest {

    static final long MS = 1_000_000L;

    @Test
    void aBurstIsSpacedAtTheConfiguredRate() {
        SendRateLimiter twoPerSecond = new SendRateLimiter(2);
        long now = 10_000 * MS;
        assertEquals(0, twoPerSecond.reserve(now));
        assertEquals(500 * MS, twoPerSecond.reserve(now));
        assertEquals(1000 * MS, twoPerSecond.reserve(now));
        assertEquals(700 * MS, twoPerSecond.reserve(now + 800 * MS));
    }

    @Test
    void anIdleLimiterLetsTheNextRequestGoAtOnce() {
        SendRateLimiter twoPerSecond = new SendRateLimiter(2);
        assertEquals(0, twoPerSecond.reserve(0));
        assertEquals(0, twoPerSecond.reserve(5_000 * MS));
        assertEquals(500 * MS, twoPerSecond.reserve(5_000 * MS));
    }

    @Test
    void theRateMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new SendRateLimiter(0));
    }
}
