package dev.driftlock.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the billing service ({@code driftlock.billing.*}, env {@code DRIFTLOCK_BILLING_*}). */
@ConfigMapping(prefix = "driftlock.billing")
public interface BillingConfig {

    /** Retries of an event whose processing failed for a reason other than bad input, before it is dead-lettered. */
    @WithDefault("8")
    int processingRetries();

    /** The plan every new org starts on. */
    @WithDefault("developer")
    String defaultPlan();
}
