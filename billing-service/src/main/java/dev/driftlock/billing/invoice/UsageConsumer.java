package dev.driftlock.billing.invoice;

import dev.driftlock.platform.inbox.EventDispatcher;
import dev.driftlock.events.InvoiceThresholdReached;
import dev.driftlock.events.PeriodClosed;
import dev.driftlock.events.Topics;
import dev.driftlock.events.UsageEvent;
import dev.driftlock.events.UsageThresholdCrossed;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Metering's invoice thresholds into mid-cycle invoices, closed periods into period-end invoices;
 * usage warnings are not billing's; malformed records are dead-lettered.
 */
@ApplicationScoped
class UsageConsumer {

    private final MidCycleInvoicing midCycle;
    private final PeriodEndInvoicing periodEnd;
    private final EventDispatcher dispatcher;

    UsageConsumer(MidCycleInvoicing midCycle, PeriodEndInvoicing periodEnd, EventDispatcher dispatcher) {
        this.midCycle = midCycle;
        this.periodEnd = periodEnd;
        this.dispatcher = dispatcher;
    }

    @Incoming("usage")
    Uni<Void> consume(String value) {
        return dispatcher.dispatch(value, Topics.USAGE, UsageEvent.class, (envelope, event) -> switch (event) {
            case InvoiceThresholdReached reached -> midCycle.onThresholdReached(envelope, reached);
            case PeriodClosed closed -> periodEnd.onPeriodClosed(envelope, closed);
            case UsageThresholdCrossed ignored -> Uni.createFrom().voidItem();
        });
    }
}
