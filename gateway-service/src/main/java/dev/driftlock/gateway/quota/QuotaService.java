package dev.driftlock.gateway.quota;

import dev.driftlock.events.QuotaStateChanged;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** Transaction boundary of the quota states the gateway enforces. */
@ApplicationScoped
class QuotaService {

    private final QuotaGate gate;

    QuotaService(QuotaGate gate) {
        this.gate = gate;
    }

    /** Keeps the newest state per org: applying the same or an older event again changes nothing. */
    Uni<Void> apply(String orgId, Instant decidedAt, QuotaStateChanged change) {
        return Panache.withTransaction(() -> QuotaStateEntity.<QuotaStateEntity>findById(orgId).flatMap(current -> {
            if (current == null) {
                QuotaStateEntity created = new QuotaStateEntity();
                created.orgId = orgId;
                copy(created, decidedAt, change);
                return created.persist().replaceWithVoid();
            }
            if (decidedAt.isAfter(current.decidedAt)) {
                copy(current, decidedAt, change);
            }
            return Uni.createFrom().voidItem();
        })).invoke(() -> gate.offer(QuotaGate.snapshot(orgId, change.state(), change.reason(), change.message(), decidedAt)));
    }

    Uni<QuotaStateView> current(String orgId) {
        return Panache.withSession(() -> QuotaStateEntity.<QuotaStateEntity>findById(orgId))
                .map(state -> state == null
                        ? new QuotaStateView("ok", "none", null)
                        : new QuotaStateView(state.state, state.reason, state.message));
    }

    private static void copy(QuotaStateEntity entity, Instant decidedAt, QuotaStateChanged change) {
        entity.state = change.state();
        entity.reason = change.reason();
        entity.message = change.message();
        entity.decidedAt = decidedAt;
    }
}
