package dev.driftlock.billing.subscription;

import dev.driftlock.billing.plan.PlanView;
import java.time.Instant;

/**
 * The caller org's subscription.
 *
 * @param status       Stripe's subscription status ({@code active} for the free plan)
 * @param dunningState {@code ok}, {@code grace} (payment failed, ingestion allowed) or {@code suspended}
 * @param graceEndsAt  end of grace, while in {@code grace}
 */
record SubscriptionView(String orgId, PlanView plan, String status, Instant periodStart, Instant periodEnd,
        String dunningState, Instant graceEndsAt, String stripeSubscriptionId, long revision) {

    static SubscriptionView of(CustomerEntity customer, PlanView plan) {
        return new SubscriptionView(customer.orgId, plan, customer.subscriptionStatus, customer.periodStart, customer.periodEnd,
                customer.dunningState, customer.graceEndsAt, customer.stripeSubscriptionId, customer.revision);
    }
}
