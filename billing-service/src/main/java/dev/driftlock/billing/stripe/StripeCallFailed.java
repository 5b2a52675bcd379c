package dev.driftlock.billing.stripe;

import dev.driftlock.platform.problem.ProblemException;

/** Stripe could not do what we asked (unreachable, or refused the request); the caller may try again later. */
public class StripeCallFailed extends ProblemException {

    StripeCallFailed(String what, Exception cause) {
        super(502, "payment-provider-failed", "Payment provider failed",
                "Stripe could not " + what + "; try again later.");
        initCause(cause);
    }
}
