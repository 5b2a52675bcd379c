package dev.driftlock.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings of the billing service ({@code driftlock.billing.*}, env {@code DRIFTLOCK_BILLING_*}). */
@ConfigMapping(prefix = "driftlock.billing")
public interface BillingConfig {

    /** The plan every new org starts on. */
    @WithDefault("developer")
    String defaultPlan();

    /** How long an org keeps ingesting after a failed payment before it is suspended. */
    @WithDefault("P7D")
    Duration gracePeriod();

    /** Attempts to apply a stored Stripe webhook event (backing off 1 s, 2 s, 4 s ... 10 min) before it is set aside as failed. */
    @WithDefault("12")
    int webhookMaxAttempts();

    /** How often stored Stripe webhook events are applied. */
    @WithDefault("1s")
    String webhookProcessEvery();

    /** How often ended grace periods are looked for. */
    @WithDefault("1m")
    String dunningCheckEvery();

    /** Per-plan overrides of the seeded catalog ({@code driftlock.billing.plans.<id>.*}). */
    Map<String, PlanOverride> plans();

    Stripe stripe();

    Promotions promotions();

    /** Overrides of one seeded plan; an absent value keeps the seeded one. */
    interface PlanOverride {

        Optional<Long> monthlyPriceCents();

        Optional<Long> includedAnomalies();

        Optional<Long> overagePriceMicros();
    }

    /** The Stripe account. */
    interface Stripe {

        /** Secret API key ({@code sk_...}). */
        @WithDefault("sk_test_driftlock_local_fake")
        String apiKey();

        /** API base; only tests and local fakes change it. */
        @WithDefault("https://api.stripe.com")
        String apiBase();

        /** Webhook endpoint signing secret ({@code whsec_...}). */
        @WithDefault("whsec_driftlock_local_fake")
        String webhookSecret();

        /** Largest accepted age of a webhook signature timestamp. */
        @WithDefault("300")
        long webhookToleranceSeconds();

        /** Plan id to Stripe recurring price id; a plan without a price cannot be bought through checkout. */
        Map<String, String> prices();

        @WithDefault("http://localhost:8080/billing/success?session_id={CHECKOUT_SESSION_ID}")
        String successUrl();

        @WithDefault("http://localhost:8080/billing/cancel")
        String cancelUrl();

        @WithDefault("http://localhost:8080/billing")
        String portalReturnUrl();

        @WithDefault("10000")
        int connectTimeoutMillis();

        @WithDefault("20000")
        int readTimeoutMillis();
    }

    /** Promotions applied at checkout. */
    interface Promotions {

        /** Whether the launch promotion is applied to checkouts of paid plans. */
        @WithDefault("true")
        boolean launchEnabled();

        /** The code customers know the launch promotion by. */
        @WithDefault("LAUNCH50")
        String launchCode();

        /**
         * The Stripe coupon behind it (50% off, duration repeating, 3 months): created with these terms
         * when missing; a coupon of this id with other terms stops launch checkouts (ADR 0203).
         */
        @WithDefault("LAUNCH50")
        String launchCoupon();
    }
}
