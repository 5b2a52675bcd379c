package dev.driftlock.billing.invoice;

import dev.driftlock.billing.BillingConfig;
import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.InvoiceThresholdReached;
import dev.driftlock.events.MalformedEventException;
import dev.driftlock.events.UnknownEventTypeException;
import dev.driftlock.events.UsageEvent;
import dev.driftlock.events.UsageThresholdCrossed;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Metering's invoice thresholds into mid-cycle invoices; usage warnings are not billing's; malformed records are dead-lettered. */
@ApplicationScoped
class UsageConsumer {

    private static final Logger LOG = Logger.getLogger(UsageConsumer.class);

    private final MidCycleInvoicing midCycle;
    private final BillingConfig config;

    UsageConsumer(MidCycleInvoicing midCycle, BillingConfig config) {
        this.midCycle = midCycle;
        this.config = config;
    }

    @Incoming("usage")
    Uni<Void> consume(String value) {
        Envelope<DriftlockEvent> envelope;
        try {
            envelope = EventJson.read(value);
        } catch (UnknownEventTypeException e) {
            LOG.debugf("skipping %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (!(envelope.data() instanceof UsageEvent event)) {
            throw new MalformedEventException(envelope.type() + " does not belong on the usage topic");
        }
        Uni<Void> effect = switch (event) {
            case InvoiceThresholdReached reached -> midCycle.onThresholdReached(envelope, reached);
            case UsageThresholdCrossed ignored -> Uni.createFrom().voidItem();
        };
        return effect.onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).atMost(config.processingRetries());
    }
}
