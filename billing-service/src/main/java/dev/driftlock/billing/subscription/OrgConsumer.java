package dev.driftlock.billing.subscription;

import dev.driftlock.billing.BillingConfig;
import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.MalformedEventException;
import dev.driftlock.events.OrgCreated;
import dev.driftlock.events.OrgEvent;
import dev.driftlock.events.OrgUpdated;
import dev.driftlock.events.UnknownEventTypeException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Org lifecycle into billing customers, once per event; malformed records are dead-lettered with the reason. */
@ApplicationScoped
class OrgConsumer {

    private static final Logger LOG = Logger.getLogger(OrgConsumer.class);

    private final CustomerService customers;
    private final BillingConfig config;

    OrgConsumer(CustomerService customers, BillingConfig config) {
        this.customers = customers;
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
            case OrgCreated created -> customers.onOrgCreated(envelope, created);
            case OrgUpdated updated -> customers.onOrgUpdated(envelope, updated);
        };
        return effect.onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).atMost(config.processingRetries());
    }
}
