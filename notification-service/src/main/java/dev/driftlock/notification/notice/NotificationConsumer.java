package dev.driftlock.notification.notice;

import dev.driftlock.events.BillingEvent;
import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.OrgCreated;
import dev.driftlock.events.OrgEvent;
import dev.driftlock.events.OrgUpdated;
import dev.driftlock.events.QuotaEvent;
import dev.driftlock.events.Topics;
import dev.driftlock.events.UsageEvent;
import dev.driftlock.notification.email.Notices;
import dev.driftlock.platform.inbox.EventDispatcher;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Usage, quota, billing and org events into e-mails (and org events into recipients). Malformed
 * records and e-mails that could not be sent end on {@code driftlock.notification.dlq.v1} with the
 * reason; other failures are retried with backoff first (service-platform's dispatcher).
 */
@ApplicationScoped
class NotificationConsumer {

    private final NotificationService notifications;
    private final EventDispatcher dispatcher;

    NotificationConsumer(NotificationService notifications, EventDispatcher dispatcher) {
        this.notifications = notifications;
        this.dispatcher = dispatcher;
    }

    @Incoming("usage")
    Uni<Void> usage(String value) {
        return consume(value, UsageEvent.class, Topics.USAGE);
    }

    @Incoming("quota-state")
    Uni<Void> quotaState(String value) {
        return consume(value, QuotaEvent.class, Topics.QUOTA_STATE);
    }

    @Incoming("billing")
    Uni<Void> billing(String value) {
        return consume(value, BillingEvent.class, Topics.BILLING);
    }

    @Incoming("orgs")
    Uni<Void> orgs(String value) {
        return consume(value, OrgEvent.class, Topics.ORGS);
    }

    private <T extends DriftlockEvent> Uni<Void> consume(String value, Class<T> topicType, String topic) {
        if (value == null) {
            return Uni.createFrom().voidItem(); // a tombstone on a compacted topic
        }
        return dispatcher.dispatch(value, topic, topicType, (envelope, event) -> effect(envelope));
    }

    private Uni<Void> effect(Envelope<DriftlockEvent> envelope) {
        return switch (envelope.data()) {
            case OrgCreated created -> notifications.orgCreated(envelope, created);
            case OrgUpdated updated -> notifications.orgUpdated(envelope, updated);
            case DriftlockEvent event -> Notices.of(event)
                    .map(notice -> notifications.notify(envelope, notice))
                    .orElseGet(() -> Uni.createFrom().voidItem());
        };
    }
}
