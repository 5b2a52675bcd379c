package dev.driftlock.metering;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the metering service ({@code driftlock.metering.*}, env {@code DRIFTLOCK_METERING_*}). */
@ConfigMapping(prefix = "driftlock.metering")
public interface MeteringConfig {

    /** The plan of orgs that have no subscription yet. */
    FreePlan freePlan();

    /** Quota defaults of orgs that did not set their own policy. */
    Quota quota();

    /** How often quota states of orgs whose period ended are recomputed (period roll-over). */
    @WithDefault("30s")
    Duration rolloverCheckEvery();

    /**
     * How long after a period's end it is closed: its final figures are published once
     * ({@code usage.period_closed}); anomalies of the period counted later are not billed.
     */
    @WithDefault("PT1H")
    Duration periodCloseDelay();

    /** How often ended periods are looked for to close. */
    @WithDefault("60s")
    Duration periodCloseCheckEvery();

    /**
     * How long an event id is remembered as processed (the idempotent-consumer record). Must exceed
     * the Kafka retention of the consumed topics (7 days) plus any dead-letter replay window: a
     * record redelivered after its id is forgotten would count again.
     */
    @WithDefault("45d")
    Duration processedEventRetention();

    /** How often the processed-event retention job runs. */
    @WithDefault("10m")
    Duration processedEventCleanupEvery();

    /** Rows deleted per statement by the processed-event retention job. */
    @WithDefault("10000")
    int processedEventRetentionBatch();

    interface FreePlan {
        /** Plan id. */
        @WithDefault("developer")
        String id();

        /** Anomalies included per monthly period. */
        @WithDefault("1000")
        long includedAnomalies();

        /** Price of one anomaly above the included ones, in millionths of the currency unit (0: no overage). */
        @WithDefault("0")
        long overagePriceMicros();

        /** Currency of the free plan. */
        @WithDefault("usd")
        String currency();
    }

    interface Quota {
        /** Percent of the included anomalies at which a {@code soft_cap} org is blocked, unless it set its own. */
        @WithDefault("120")
        int capPercent();

        /** Percent of the included anomalies from which the quota state is {@code warning}. */
        @WithDefault("90")
        int warningPercent();

        /** Estimated overage (cents) at which an invoice-threshold event is raised, and each multiple of it. */
        @WithDefault("50000")
        long invoiceThresholdCents();
    }
}
