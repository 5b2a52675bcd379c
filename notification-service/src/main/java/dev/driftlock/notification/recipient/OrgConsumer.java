package dev.driftlock.notification.recipient;

import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.MalformedEventException;
import dev.driftlock.events.OrgCreated;
import dev.driftlock.events.OrgEvent;
import dev.driftlock.events.OrgUpdated;
import dev.driftlock.events.UnknownEventTypeException;
import dev.driftlock.notification.NotificationConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Org lifecycle into e-mail recipients, once per event; malformed records are dead-lettered with the reason. */
@ApplicationScoped
class OrgConsumer {

    private static final Logger LOG = Logger.getLogger(OrgConsumer.class);

    private final RecipientService recipients;
    private final NotificationConfig config;

    OrgConsumer(RecipientService recipients, NotificationConfig config) {
        this.recipients = recipients;
        this.config = config;
    }

    @Incoming("orgs")
    Uni<Void> consume(String value) {
        Envelope<DriftlockEvent> envelope;
        try {
            envelope = EventJson.read(value);
        } catch (UnknownEventTypeException e) {
            LOG.debugf("skipping %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (!(envelope.data() instanceof OrgEvent event)) {
            throw new MalformedEventException(envelope.type() + " does not belong on the orgs topic");
        }
        Uni<Void> effect = switch (event) {
            case OrgCreated created -> recipients.apply(envelope, created.name(), created.billingEmails(), 0);
            case OrgUpdated updated -> recipients.apply(envelope, updated.name(), updated.billingEmails(), updated.revision());
        };
        return effect.onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).atMost(config.processingRetries());
    }
}
