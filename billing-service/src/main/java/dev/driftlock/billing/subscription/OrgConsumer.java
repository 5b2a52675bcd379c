package dev.driftlock.billing.subscription;

import dev.driftlock.platform.inbox.EventDispatcher;
import dev.driftlock.events.OrgCreated;
import dev.driftlock.events.OrgEvent;
import dev.driftlock.events.OrgUpdated;
import dev.driftlock.events.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Org lifecycle into billing customers, once per event; malformed records are dead-lettered with the reason. */
@ApplicationScoped
class OrgConsumer {

    private final CustomerService customers;
    private final EventDispatcher dispatcher;

    OrgConsumer(CustomerService customers, EventDispatcher dispatcher) {
        this.customers = customers;
        this.dispatcher = dispatcher;
    }

    @Incoming("orgs")
    Uni<Void> consume(String value) {
        return dispatcher.dispatch(value, Topics.ORGS, OrgEvent.class, (envelope, event) -> switch (event) {
            case OrgCreated created -> customers.onOrgCreated(envelope, created);
            case OrgUpdated updated -> customers.onOrgUpdated(envelope, updated);
        });
    }
}
