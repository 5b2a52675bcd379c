package dev.driftlock.notification.notice;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of the notification log, as {@code GET /v1/notifications} shows it.
 *
 * @param id            the log entry (also the provider idempotency key, prefixed {@code driftlock-})
 * @param eventId       the event that caused the e-mail
 * @param kind          {@code usage_threshold}, {@code cap_reached}, {@code payment_failed}, {@code dunning},
 *                      {@code mid_cycle_invoice} or {@code welcome}
 * @param status        {@code queued}, {@code sent}, {@code failed}, {@code delivered} or {@code bounced}
 * @param providerId    the provider's message id, once sent
 * @param failureReason why it failed or bounced
 */
record NotificationView(UUID id, UUID eventId, String kind, String recipient, String subject, String status, String provider,
                        String providerId, String failureReason, Instant createdAt, Instant updatedAt) {

    static NotificationView of(NotificationEntity row) {
        return new NotificationView(row.id, row.eventId, row.kind, row.recipient, row.subject, row.status, row.provider,
                row.providerId, row.failureReason, row.createdAt, row.updatedAt);
    }
}
