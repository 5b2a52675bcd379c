package dev.driftlock.notification.delivery;

import java.time.Duration;

/** The result of one attempt to hand an e-mail to a provider. */
sealed interface Outcome {

    /** Accepted; {@code providerId} names the message at the provider. */
    record Sent(String providerId) implements Outcome {
    }

    /** Worth another attempt, after {@code retryAfter} if the provider said so (else null: exponential backoff). */
    record Retry(String reason, Duration retryAfter) implements Outcome {
    }

    /** Never worth another attempt (e.g. an invalid address). */
    record Permanent(String reason) implements Outcome {
    }
}
