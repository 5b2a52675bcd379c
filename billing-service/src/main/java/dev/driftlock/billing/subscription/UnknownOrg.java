package dev.driftlock.billing.subscription;

import dev.driftlock.platform.problem.ProblemException;

/** Billing has no customer for the org (its org.created has not arrived yet). */
public class UnknownOrg extends ProblemException {

    UnknownOrg(String orgId) {
        super(404, "unknown-org", "Unknown organization", "Billing knows no organization " + orgId + " yet; try again shortly.");
    }
}
