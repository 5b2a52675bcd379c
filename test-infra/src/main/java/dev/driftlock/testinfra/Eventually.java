package dev.driftlock.testinfra;

import java.time.Duration;

/** Retries an assertion until it passes or the time is up (for effects of asynchronous consumers). */
public final class Eventually {

    private Eventually() {
    }

    public static void assertThat(Runnable assertion) {
        assertThat(Duration.ofSeconds(30), assertion);
    }

    public static void assertThat(Duration within, Runnable assertion) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(150);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
