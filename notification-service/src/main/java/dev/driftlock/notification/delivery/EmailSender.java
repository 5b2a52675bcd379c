package dev.driftlock.notification.delivery;

import io.smallrye.mutiny.Uni;

/**
 * Sends one e-mail, retrying what can be retried. Two implementations, chosen by
 * {@code driftlock.notification.provider}: {@link ResendClient} and {@link SmtpSender}.
 */
public interface EmailSender {

    /** The provider name stored in the notification log ({@code resend}, {@code smtp}). */
    String name();

    /**
     * Sends {@code email}; answers the provider's message id, or fails with {@link DeliveryFailedException}
     * when the provider refused it for good or every attempt failed.
     */
    Uni<String> send(OutgoingEmail email);
}
