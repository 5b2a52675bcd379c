package dev.driftlock.billing.customer;

import dev.driftlock.billing.plan.PlanView;

/** The caller org's subscription. */
record SubscriptionView(String orgId, PlanView plan, String status) {
}
