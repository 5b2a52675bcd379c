package dev.driftlock.metering;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the metering service ({@code driftlock.metering.*}, env {@code DRIFTLOCK_METERING_*}). */
@ConfigMapping(prefix = "driftlock.metering")
public interface MeteringConfig {

    /** Retries of an event whose processing failed for a reason other than bad input, before it is dead-lettered. */
    @WithDefault("8")
    int processingRetries();

    /** The plan of orgs that have no subscription yet. */
    FreePlan freePlan();

    interface FreePlan {
        /** Plan id. */
        @WithDefault("developer")
        String id();

        /** Anomalies included per monthly period. */
        @WithDefault("1000")
        long includedAnomalies();
    }
}
