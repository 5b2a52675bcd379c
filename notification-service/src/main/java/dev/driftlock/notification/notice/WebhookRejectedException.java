package dev.driftlock.notification.notice;

import dev.driftlock.platform.problem.ProblemException;

/** A delivery webhook that is not authentic, or that names an e-mail the log does not know (yet). */
class WebhookRejectedException extends ProblemException {

    private WebhookRejectedException(int status, String slug, String title, String detail) {
        super(status, slug, title, detail);
    }

    static WebhookRejectedException badSignature() {
        return new WebhookRejectedException(401, "webhook-signature", "Invalid webhook signature",
                "The svix-id, svix-timestamp and svix-signature headers do not sign this body with the configured secret, "
                        + "or the timestamp is more than 5 minutes away.");
    }

    static WebhookRejectedException malformed(String detail) {
        return new WebhookRejectedException(400, "malformed-webhook", "Malformed webhook", detail);
    }

    static WebhookRejectedException unknownEmail(String emailId) {
        return new WebhookRejectedException(404, "unknown-email", "Unknown e-mail",
                "No sent e-mail has the provider id " + emailId + " (yet); the provider retries later.");
    }
}
