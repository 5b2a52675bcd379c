package dev.driftlock.gateway.quota;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The quota states in memory, so that enforcing them on ingest costs a map lookup: loaded from
 * {@code quota_state} at start, then updated by the consumer after each commit (newest decision wins).
 */
@ApplicationScoped
public class QuotaGate {

    private final Map<String, QuotaStateEntity> states = new ConcurrentHashMap<>();

    void load(@Observes StartupEvent start) throws Throwable {
        List<QuotaStateEntity> all = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> QuotaStateEntity.<QuotaStateEntity>listAll()));
        all.forEach(this::offer);
    }

    /** Keeps {@code state} unless a newer decision for its org is already known. */
    void offer(QuotaStateEntity state) {
        states.merge(state.orgId, state, (current, offered) -> offered.decidedAt.isAfter(current.decidedAt) ? offered : current);
    }

    /** Throws the 429/402 problem when the org's ingestion is blocked. */
    public void checkIngest(String orgId) {
        QuotaStateEntity state = states.get(orgId);
        if (state == null || !"blocked".equals(state.state)) {
            return;
        }
        throw new IngestBlockedException(state.reason, state.message);
    }

    static QuotaStateEntity snapshot(String orgId, String state, String reason, String message, Instant decidedAt) {
        QuotaStateEntity copy = new QuotaStateEntity();
        copy.orgId = orgId;
        copy.state = state;
        copy.reason = reason;
        copy.message = message;
        copy.decidedAt = decidedAt;
        return copy;
    }
}
