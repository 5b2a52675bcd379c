package dev.driftlock.billing.audit;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Records a billing state change in {@code audit_log}; call it inside the transaction that makes the change. */
@ApplicationScoped
public class AuditLog {

    private final Clock clock;

    AuditLog(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param action    what changed, e.g. {@code subscription.changed}
     * @param detail    the change, e.g. {@code developer/active -> standard/active}
     * @param reason    why, e.g. the Stripe event type
     * @param stripeIds the Stripe ids involved, comma separated (may be null)
     * @param actor     who: {@code stripe:evt_...}, {@code user:alice}, {@code scheduler}, {@code kafka:<event id>}
     */
    public Uni<Void> record(String orgId, String action, String detail, String reason, String stripeIds, String actor) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery("""
                        INSERT INTO audit_log (org_id, at, action, detail, reason, stripe_ids, actor)
                        VALUES (:org, :at, :action, :detail, :reason, :ids, :actor)""")
                .setParameter("org", orgId)
                .setParameter("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .setParameter("action", action)
                .setParameter("detail", detail)
                .setParameter("reason", reason)
                .setParameter("ids", stripeIds == null ? "" : stripeIds)
                .setParameter("actor", actor)
                .executeUpdate())
                .replaceWithVoid();
    }
}
