package dev.driftlock.billing.subscription;

import dev.driftlock.platform.problem.ProblemException;

/** A checkout that cannot be started: unknown or free plan, unknown promotion code, already subscribed. */
class CheckoutRefused extends ProblemException {

    CheckoutRefused(int status, String slug, String title, String detail) {
        super(status, slug, title, detail);
    }
}
