package dev.driftlock.notification.notice;

import dev.driftlock.events.BillingEvent;
import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.MalformedEventException;
import dev.driftlock.events.OrgCreated;
import dev.driftlock.events.OrgEvent;
import dev.driftlock.events.OrgUpdated;
import dev.driftlock.events.QuotaEvent;
import dev.driftlock.events.Topics;
import dev.driftlock.events.UnknownEventTypeException;
import dev.driftlock.events.UsageEvent;
import dev.driftlock.notification.NotificationConfig;
import dev.driftlock.notification.email.Notices;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Usage, quota, billing and org events into e-mails (and org events into recipients). Malformed
 * records and e-mails that could not be sent end on {@code driftlock.notification.dlq.v1} with the
 * reason; other failures are retried with backoff first.
 */
@ApplicationScoped
class NotificationConsumer {

    private static final Logger LOG = Logger.getLogger(NotificationConsumer.class);

    private final NotificationService notifications;
    private final NotificationConfig config;

    NotificationConsumer(NotificationService notifications, NotificationConfig config) {
        this.notifications = notifications;
        this.config = config;
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

    private Uni<Void> consume(String value, Class<? extends DriftlockEvent> topicType, String topic) {
        if (value == null) {
            return Uni.createFrom().voidItem(); // a tombstone on a compacted topic
        }
        Envelope<DriftlockEvent> envelope;
        try {
            envelope = EventJson.read(value);
        } catch (UnknownEventTypeException e) {
            LOG.debugf("skipping %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (!topicType.isInstance(envelope.data())) {
            throw new MalformedEventException(envelope.type() + " does not belong on " + topic);
        }
        Uni<Void> effect = switch (envelope.data()) {
            case OrgCreated created -> notifications.orgCreated(envelope, created);
            case OrgUpdated updated -> notifications.orgUpdated(envelope, updated);
            case DriftlockEvent event -> Notices.of(event)
                    .map(notice -> notifications.notify(envelope, notice))
                    .orElseGet(() -> Uni.createFrom().voidItem());
        };
        return effect.onFailure(failure -> !(failure instanceof NotSentException))
                .retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).atMost(config.processingRetries());
    }
}
