package dev.driftlock.platform.inbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The consumer failure policy of docs/adr/0003, the same for every service's consumers. */
@ConfigMapping(prefix = "driftlock.inbox")
public interface InboxConfig {

    /**
     * How often a failed effect (database briefly away...) is retried, with exponential backoff
     * from {@link #firstBackoff()} to {@link #maxBackoff()}, before its failure reaches the
     * channel's dead-letter strategy. 8 retries take about 30 s.
     */
    @WithDefault("8")
    int processingRetries();

    /** The first backoff between retries. */
    @WithDefault("100ms")
    Duration firstBackoff();

    /** The longest backoff between retries. */
    @WithDefault("5s")
    Duration maxBackoff();
}
