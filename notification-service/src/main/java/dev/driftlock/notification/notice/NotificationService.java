package dev.driftlock.notification.notice;

import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.OrgCreated;
import dev.driftlock.events.OrgUpdated;
import dev.driftlock.notification.NotificationConfig;
import dev.driftlock.notification.delivery.EmailSender;
import dev.driftlock.notification.delivery.OutgoingEmail;
import dev.driftlock.notification.email.EmailRenderer;
import dev.driftlock.notification.email.Notice;
import dev.driftlock.notification.email.RenderedEmail;
import dev.driftlock.notification.email.WelcomeNotice;
import dev.driftlock.platform.inbox.SessionProcessedEvents;
import dev.driftlock.notification.recipient.RecipientService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Transaction boundary of the notification log. An event's e-mails are queued (one row per
 * recipient) in one transaction with the event's inbox record; only after that commit are they
 * handed to the provider, one by one, each with an idempotency key derived from event, recipient
 * and kind, and each outcome is committed on its own. A redelivered event queues nothing new and
 * sends only what is still queued (or failed), so nothing is sent twice or lost.
 */
@ApplicationScoped
class NotificationService {

    static final String CONSUMER = "notices";
    private static final Logger LOG = Logger.getLogger(NotificationService.class);

    private final SessionProcessedEvents processed;
    private final RecipientService recipients;
    private final EmailRenderer renderer;
    private final EmailSender sender;
    private final String from;

    NotificationService(SessionProcessedEvents processed, RecipientService recipients, EmailRenderer renderer, Instance<EmailSender> senders,
                        NotificationConfig config) {
        this.processed = processed;
        this.recipients = recipients;
        this.renderer = renderer;
        this.sender = senders.get();
        this.from = config.from();
    }

    /** Queues and sends the e-mails of {@code notice}, once per event and once per fact. */
    Uni<Void> notify(Envelope<DriftlockEvent> envelope, Notice notice) {
        return Panache.withTransaction(() -> enqueue(envelope, notice)).chain(() -> dispatch(envelope.eventId()));
    }

    /** Records the new org's recipients and queues its welcome e-mail in the same transaction, then sends it. */
    Uni<Void> orgCreated(Envelope<DriftlockEvent> envelope, OrgCreated created) {
        return Panache.withTransaction(() -> recipients.apply(envelope, created.name(), created.billingEmails(), 0)
                        .chain(() -> enqueue(envelope, new WelcomeNotice())))
                .chain(() -> dispatch(envelope.eventId()));
    }

    Uni<Void> orgUpdated(Envelope<DriftlockEvent> envelope, OrgUpdated updated) {
        return Panache.withTransaction(() -> recipients.apply(envelope, updated.name(), updated.billingEmails(), updated.revision()));
    }

    /** The org's log, newest first. */
    Uni<List<NotificationView>> list(String orgId, int limit) {
        return Panache.withSession(() -> NotificationEntity.<NotificationEntity>find(
                        "orgId = ?1 order by createdAt desc, id", orgId).page(0, limit).list())
                .map(rows -> rows.stream().map(NotificationView::of).toList());
    }

    /**
     * Applies a provider's delivery report to the e-mail it sent as {@code providerId}: sent ->
     * delivered, sent or delivered -> bounced; a repeated report changes nothing. Answers false when
     * no sent e-mail has that id.
     */
    Uni<Boolean> providerReported(String providerId, String status, String reason) {
        List<String> from = NotificationEntity.BOUNCED.equals(status)
                ? List.of(NotificationEntity.SENT, NotificationEntity.DELIVERED)
                : List.of(NotificationEntity.SENT);
        return Panache.withTransaction(() -> NotificationEntity.update(
                        "status = ?1, failureReason = ?2, updatedAt = ?3 where providerId = ?4 and status in ?5",
                        status, reason, Instant.now(), providerId, from)
                .flatMap(updated -> updated > 0
                        ? Uni.createFrom().item(true)
                        : NotificationEntity.count("providerId = ?1", providerId).map(rows -> rows > 0)));
    }

    private Uni<Void> enqueue(Envelope<DriftlockEvent> envelope, Notice notice) {
        return processed.firstTime(envelope.eventId(), CONSUMER).flatMap(first -> {
            if (!first) {
                return Uni.createFrom().voidItem();
            }
            return claimFact(envelope, notice).flatMap(claimed -> {
                if (!claimed) {
                    LOG.infof("event %s reports %s of org %s, which was told already", envelope.eventId(), notice.factKey(), envelope.orgId());
                    return Uni.createFrom().voidItem();
                }
                return recipients.audience(envelope.orgId()).flatMap(audience -> {
                    if (audience == null) {
                        return Uni.createFrom().failure(new NoRecipientsException(envelope.orgId()));
                    }
                    if (notice.kind().optional() && !audience.usageEmails()) {
                        LOG.debugf("org %s turned %s e-mails off", envelope.orgId(), notice.kind().wireName());
                        return Uni.createFrom().voidItem();
                    }
                    RenderedEmail email = renderer.render(notice, audience.orgName());
                    Instant now = Instant.now();
                    List<NotificationEntity> rows = new LinkedHashSet<>(audience.recipients()).stream()
                            .map(recipient -> queued(envelope, notice, recipient, email, now))
                            .toList();
                    return NotificationEntity.persist(rows);
                });
            });
        });
    }

    private Uni<Boolean> claimFact(Envelope<DriftlockEvent> envelope, Notice notice) {
        return Panache.getSession().flatMap(session -> session
                        .createNativeQuery("INSERT INTO notification_fact (org_id, fact_key, event_id) VALUES (:org, :fact, :event) "
                                + "ON CONFLICT DO NOTHING")
                        .setParameter("org", envelope.orgId())
                        .setParameter("fact", notice.factKey())
                        .setParameter("event", envelope.eventId())
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    private static NotificationEntity queued(Envelope<DriftlockEvent> envelope, Notice notice, String recipient, RenderedEmail email,
                                             Instant now) {
        NotificationEntity row = new NotificationEntity();
        row.id = UUID.nameUUIDFromBytes((envelope.eventId() + "|" + recipient + "|" + notice.kind().wireName())
                .getBytes(StandardCharsets.UTF_8));
        row.orgId = envelope.orgId();
        row.eventId = envelope.eventId();
        row.kind = notice.kind().wireName();
        row.recipient = recipient;
        row.subject = email.subject();
        row.htmlBody = email.html();
        row.textBody = email.text();
        row.status = NotificationEntity.QUEUED;
        row.createdAt = now;
        row.updatedAt = now;
        return row;
    }

    /** Sends the event's e-mails that are not sent yet; fails with {@link NotSentException} when one could not be sent. */
    private Uni<Void> dispatch(UUID eventId) {
        Context context = Vertx.currentContext();
        Executor onContext = context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
        return Panache.withSession(() -> NotificationEntity.<NotificationEntity>list(
                        "eventId = ?1 and status in ?2 order by recipient", eventId,
                        List.of(NotificationEntity.QUEUED, NotificationEntity.FAILED)))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(row -> send(row, onContext))
                .filter(Objects::nonNull)
                .collect().asList()
                .invoke(failures -> {
                    if (!failures.isEmpty()) {
                        throw new NotSentException(String.join("; ", failures));
                    }
                })
                .replaceWithVoid();
    }

    /** Sends one e-mail and commits its outcome; answers the failure reason, or null when sent. */
    private Uni<String> send(NotificationEntity row, Executor onContext) {
        OutgoingEmail email = new OutgoingEmail(from, row.recipient, row.subject, row.htmlBody, row.textBody, row.idempotencyKey());
        return sender.send(email)
                .emitOn(onContext)
                .onItemOrFailure().transformToUni((providerId, failure) -> {
                    String reason = failure == null ? null : "e-mail " + row.kind + " to " + row.recipient + " failed: "
                            + (failure.getMessage() == null ? failure.toString() : failure.getMessage());
                    String status = failure == null ? NotificationEntity.SENT : NotificationEntity.FAILED;
                    if (failure != null) {
                        LOG.warnf("notification %s: %s", row.id, reason);
                    }
                    return Panache.withTransaction(() -> NotificationEntity.update(
                                    "status = ?1, provider = ?2, providerId = ?3, failureReason = ?4, updatedAt = ?5 where id = ?6",
                                    status, sender.name(), providerId, reason, Instant.now(), row.id))
                            .replaceWith(reason);
                });
    }
}
