package dev.driftlock.notification.notice;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One e-mail of one event to one recipient, with its delivery status. */
@Entity
@Table(name = "notification")
class NotificationEntity extends PanacheEntityBase {

    static final String QUEUED = "queued";
    static final String SENT = "sent";
    static final String FAILED = "failed";
    static final String DELIVERED = "delivered";
    static final String BOUNCED = "bounced";

    /** Derived from event, recipient and kind; the provider idempotency key. */
    @Id
    UUID id;

    @Column(name = "org_id", nullable = false)
    String orgId;

    @Column(name = "event_id", nullable = false)
    UUID eventId;

    @Column(nullable = false)
    String kind;

    @Column(nullable = false)
    String recipient;

    @Column(nullable = false)
    String subject;

    @Column(name = "html_body", nullable = false)
    String htmlBody;

    @Column(name = "text_body", nullable = false)
    String textBody;

    @Column(nullable = false)
    String status;

    String provider;

    @Column(name = "provider_id")
    String providerId;

    @Column(name = "failure_reason")
    String failureReason;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    /** The provider idempotency key of this e-mail. */
    String idempotencyKey() {
        return "driftlock-" + id;
    }
}
