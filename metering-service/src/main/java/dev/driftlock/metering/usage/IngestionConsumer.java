package dev.driftlock.metering.usage;

import dev.driftlock.events.EventsIngested;
import dev.driftlock.events.IngestionEvent;
import dev.driftlock.events.MalformedEventException;
import dev.driftlock.events.Topics;
import dev.driftlock.platform.inbox.EventDispatcher;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Adds ingested-event counts to the daily history (charts only; never billed), once per event. */
@ApplicationScoped
class IngestionConsumer {

    private final UsageService usage;
    private final EventDispatcher dispatcher;

    IngestionConsumer(UsageService usage, EventDispatcher dispatcher) {
        this.usage = usage;
        this.dispatcher = dispatcher;
    }

    @Incoming("ingestion")
    Uni<Void> consume(String value) {
        return dispatcher.dispatch(value, Topics.INGESTION, IngestionEvent.class, (envelope, event) -> switch (event) {
            case EventsIngested ingested -> {
                if (ingested.accepted() < 0) {
                    throw new MalformedEventException("accepted must not be negative");
                }
                yield usage.countIngested(envelope.eventId(), envelope.orgId(), ingested);
            }
        });
    }
}
