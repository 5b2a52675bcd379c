package dev.driftlock.billing.subscription;

/** A Stripe Checkout session to redirect the customer to. */
record CheckoutView(String sessionId, String url) {
}
