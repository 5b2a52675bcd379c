package dev.driftlock.platform.inbox;

import dev.driftlock.events.OrgEvent;
import dev.driftlock.platform.testapp.PlatformTestResources;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * A consumer as a service writes one: the dispatcher reads the envelope, the effect (one
 * {@code applied_event} row) is applied once per event id in the transaction that records it.
 */
@ApplicationScoped
class OrgTestConsumer {

    static final String CONSUMER = "platform-test";

    private final EventDispatcher dispatcher;
    private final ProcessedEvents processed;
    private final Pool pool;

    OrgTestConsumer(EventDispatcher dispatcher, ProcessedEvents processed, Pool pool) {
        this.dispatcher = dispatcher;
        this.processed = processed;
        this.pool = pool;
    }

    @Incoming("orgs")
    Uni<Void> consume(String value) {
        return dispatcher.dispatch(value, PlatformTestResources.ORGS, OrgEvent.class, (envelope, event) ->
                pool.withTransaction(conn -> processed.firstTime(conn, envelope.eventId(), CONSUMER)
                        .flatMap(first -> first
                                ? conn.preparedQuery("INSERT INTO applied_event (event_id, org_id) VALUES ($1, $2)")
                                        .execute(Tuple.of(envelope.eventId(), envelope.orgId())).replaceWithVoid()
                                : Uni.createFrom().voidItem())));
    }
}
