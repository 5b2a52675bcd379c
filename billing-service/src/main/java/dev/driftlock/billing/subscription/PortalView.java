package dev.driftlock.billing.subscription;

/** A Stripe customer portal session to redirect the customer to. */
record PortalView(String url) {
}
