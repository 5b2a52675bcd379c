package dev.driftlock.notification.recipient;

import dev.driftlock.platform.problem.ProblemException;

/** No org event of the org was consumed yet, so its recipients are unknown. */
class UnknownOrgException extends ProblemException {

    UnknownOrgException(String orgId) {
        super(404, "unknown-org", "Unknown organization",
                "No recipients are known for org " + orgId + " yet; they arrive with the org's events.");
    }
}
