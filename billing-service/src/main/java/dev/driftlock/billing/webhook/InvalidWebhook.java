package dev.driftlock.billing.webhook;

import dev.driftlock.platform.problem.ProblemException;

/** A webhook call that is not a verifiable Stripe event: missing or bad signature, stale timestamp, unreadable body. */
class InvalidWebhook extends ProblemException {

    InvalidWebhook(String detail) {
        super(400, "invalid-webhook", "Invalid webhook", detail);
    }
}
