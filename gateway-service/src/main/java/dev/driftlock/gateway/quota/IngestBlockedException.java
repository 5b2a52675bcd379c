package dev.driftlock.gateway.quota;

import dev.driftlock.gateway.problem.ProblemException;

/**
 * Ingestion refused for the org's quota state: 402 when payment is suspended, otherwise 429 (the
 * plan's cap is reached). Reads stay allowed.
 */
class IngestBlockedException extends ProblemException {

    IngestBlockedException(String reason, String message) {
        super(status(reason), "payment_suspended".equals(reason) ? "payment-suspended" : "quota-exceeded",
                "payment_suspended".equals(reason) ? "Payment suspended" : "Anomaly cap reached",
                detail(reason, message));
    }

    private static int status(String reason) {
        return "payment_suspended".equals(reason) ? 402 : 429;
    }

    private static String detail(String reason, String message) {
        String why = message == null || message.isBlank() ? "" : message + " ";
        return why + ("payment_suspended".equals(reason)
                ? "Ingestion is paused until the open invoice is paid: update the payment method under /v1/billing. Reads still work."
                : "Ingestion is paused until the period ends: raise the cap in /v1/quota-policy or upgrade the plan under /v1/subscription. Reads still work.");
    }
}
