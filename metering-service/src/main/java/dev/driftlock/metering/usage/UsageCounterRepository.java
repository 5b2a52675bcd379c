package dev.driftlock.metering.usage;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Per-org, per-period anomaly counters; updated with atomic upserts, safe under concurrent consumers. */
@ApplicationScoped
class UsageCounterRepository {

    Uni<Void> increment(String orgId, Instant periodStart, Instant periodEnd) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery("""
                        INSERT INTO usage_counter (org_id, period_start, period_end, anomalies) VALUES (:org, :start, :end, 1)
                        ON CONFLICT (org_id, period_start) DO UPDATE SET anomalies = usage_counter.anomalies + 1
                        """)
                .setParameter("org", orgId)
                .setParameter("start", utc(periodStart))
                .setParameter("end", utc(periodEnd))
                .executeUpdate()).replaceWithVoid();
    }

    Uni<Long> anomalies(String orgId, Instant periodStart) {
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("SELECT anomalies FROM usage_counter WHERE org_id = :org AND period_start = :start", Long.class)
                .setParameter("org", orgId)
                .setParameter("start", utc(periodStart))
                .getResultList())
                .map(rows -> rows.isEmpty() ? 0L : rows.getFirst());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
