package dev.driftlock.notification.delivery;

/**
 * One e-mail to one recipient.
 *
 * @param idempotencyKey derived from the event and the recipient; the same e-mail always carries the same key, so a
 *                       provider that saw it already answers without sending again
 */
public record OutgoingEmail(String from, String to, String subject, String html, String text, String idempotencyKey) {
}
