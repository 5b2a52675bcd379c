package dev.driftlock.billing.subscription;

import dev.driftlock.platform.problem.ProblemException;

/** The launch coupon in Stripe does not have the launch terms; applying it would discount wrongly, so checkout stops. */
class LaunchPromotionMisconfigured extends ProblemException {

    LaunchPromotionMisconfigured(String detail) {
        super(500, "launch-promotion-misconfigured", "Launch promotion misconfigured", detail);
    }
}
