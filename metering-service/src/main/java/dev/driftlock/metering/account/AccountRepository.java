package dev.driftlock.metering.account;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Subscription and dunning projections, quota policies and published quota states. Every method
 * runs on the caller's connection, inside its transaction.
 */
@ApplicationScoped
public class AccountRepository {

    private static final String ACCOUNT_COLUMNS = """
            o.org_id, q.state, q.reason, q.policy AS published_policy, q.included_anomalies AS published_included,
            q.cap_percent AS published_cap, q.period_end AS published_period_end,
            s.plan, s.status, s.included_anomalies, s.overage_price_micros, s.currency, s.period_start, s.period_end,
            s.revision, d.state AS dunning_state, p.policy, p.cap_percent, p.invoice_threshold_cents
            """;

    /**
     * Takes the per-org lock of each org (its {@code quota_state} row, in org order so that
     * concurrent transactions cannot deadlock) and reads the orgs' accounts under it.
     */
    public Uni<Map<String, Account>> lock(SqlConnection conn, List<String> orgIds) {
        String[] orgs = orgIds.stream().sorted().distinct().toArray(String[]::new);
        return conn.preparedQuery("INSERT INTO quota_state (org_id) SELECT o FROM unnest($1::text[]) AS o ORDER BY o ON CONFLICT DO NOTHING")
                .execute(Tuple.of(orgs))
                .flatMap(inserted -> conn.preparedQuery("SELECT " + ACCOUNT_COLUMNS + """
                        FROM quota_state q
                        JOIN unnest($1::text[]) AS o(org_id) ON o.org_id = q.org_id
                        LEFT JOIN subscription s ON s.org_id = q.org_id
                        LEFT JOIN dunning d ON d.org_id = q.org_id
                        LEFT JOIN quota_policy p ON p.org_id = q.org_id
                        ORDER BY q.org_id
                        FOR UPDATE OF q
                        """).execute(Tuple.of(orgs)))
                .map(rows -> {
                    Map<String, Account> accounts = new LinkedHashMap<>();
                    for (Row row : rows) {
                        accounts.put(row.getString("org_id"), account(row));
                    }
                    return accounts;
                });
    }

    /** Reads an org's account without locking it (for answers that change nothing). */
    public Uni<Account> read(SqlClient client, String orgId) {
        return client.preparedQuery("SELECT " + ACCOUNT_COLUMNS + """
                        FROM (SELECT $1::text AS org_id) o
                        LEFT JOIN quota_state q ON q.org_id = o.org_id
                        LEFT JOIN subscription s ON s.org_id = o.org_id
                        LEFT JOIN dunning d ON d.org_id = o.org_id
                        LEFT JOIN quota_policy p ON p.org_id = o.org_id
                        """)
                .execute(Tuple.of(orgId))
                .map(rows -> account(rows.iterator().next()));
    }

    /** Stores the subscription unless a newer revision is already stored; true when it was applied. */
    public Uni<Boolean> applySubscription(SqlConnection conn, String orgId, Subscription s) {
        return conn.preparedQuery("""
                        INSERT INTO subscription (org_id, plan, status, included_anomalies, overage_price_micros, currency,
                                                  period_start, period_end, revision)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                        ON CONFLICT (org_id) DO UPDATE SET plan = EXCLUDED.plan, status = EXCLUDED.status,
                            included_anomalies = EXCLUDED.included_anomalies, overage_price_micros = EXCLUDED.overage_price_micros,
                            currency = EXCLUDED.currency, period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end,
                            revision = EXCLUDED.revision, updated_at = now()
                        WHERE subscription.revision < EXCLUDED.revision
                        RETURNING org_id
                        """)
                .execute(Tuple.from(List.of(orgId, s.plan(), s.status(), s.includedAnomalies(), s.overagePriceMicros(), s.currency(),
                        utc(s.periodStart()), utc(s.periodEnd()), s.revision())))
                .map(rows -> rows.size() == 1);
    }

    /** Stores the dunning state unless a newer revision is already stored; true when it was applied. */
    public Uni<Boolean> applyDunning(SqlConnection conn, String orgId, String state, long revision) {
        return conn.preparedQuery("""
                        INSERT INTO dunning (org_id, state, revision) VALUES ($1, $2, $3)
                        ON CONFLICT (org_id) DO UPDATE SET state = EXCLUDED.state, revision = EXCLUDED.revision, updated_at = now()
                        WHERE dunning.revision < EXCLUDED.revision
                        RETURNING org_id
                        """)
                .execute(Tuple.of(orgId, state, revision))
                .map(rows -> rows.size() == 1);
    }

    public Uni<Void> savePolicy(SqlConnection conn, String orgId, QuotaPolicy policy, String principal) {
        return conn.preparedQuery("""
                        INSERT INTO quota_policy (org_id, policy, cap_percent, invoice_threshold_cents, updated_by) VALUES ($1, $2, $3, $4, $5)
                        ON CONFLICT (org_id) DO UPDATE SET policy = EXCLUDED.policy, cap_percent = EXCLUDED.cap_percent,
                            invoice_threshold_cents = EXCLUDED.invoice_threshold_cents, updated_by = EXCLUDED.updated_by, updated_at = now()
                        """)
                .execute(Tuple.of(orgId, policy.policy(), policy.capPercent(), policy.invoiceThresholdCents(), principal))
                .replaceWithVoid();
    }

    /** Records the quota state just published (the org's lock is held). */
    public Uni<Void> savePublished(SqlConnection conn, String orgId, PublishedQuota quota, long used) {
        return conn.preparedQuery("""
                        UPDATE quota_state SET state = $2, reason = $3, policy = $4, included_anomalies = $5, cap_percent = $6,
                            period_end = $7, used_anomalies = $8, updated_at = now()
                        WHERE org_id = $1
                        """)
                .execute(Tuple.from(List.of(orgId, quota.state(), quota.reason(), quota.policy(), quota.includedAnomalies(),
                        quota.capPercent(), utc(quota.periodEnd()), used)))
                .replaceWithVoid();
    }

    /** Orgs whose published quota state belongs to a period that ended before {@code now}. */
    public Uni<List<String>> orgsWithEndedPeriod(SqlConnection conn, Instant now, int limit) {
        return conn.preparedQuery("SELECT org_id FROM quota_state WHERE period_end <= $1 ORDER BY org_id LIMIT $2")
                .execute(Tuple.of(utc(now), limit))
                .map(rows -> {
                    List<String> orgs = new ArrayList<>();
                    rows.forEach(row -> orgs.add(row.getString("org_id")));
                    return orgs;
                });
    }

    private static Account account(Row row) {
        Subscription subscription = row.getString("plan") == null ? null : new Subscription(row.getString("plan"),
                row.getString("status"), row.getLong("included_anomalies"), row.getLong("overage_price_micros"),
                row.getString("currency"), instant(row.getOffsetDateTime("period_start")),
                instant(row.getOffsetDateTime("period_end")), row.getLong("revision"));
        QuotaPolicy own = row.getString("policy") == null ? null : new QuotaPolicy(row.getString("policy"),
                row.getInteger("cap_percent"), row.getLong("invoice_threshold_cents"), true);
        PublishedQuota published = row.getString("state") == null ? null : new PublishedQuota(row.getString("state"),
                row.getString("reason"), row.getString("published_policy"), row.getLong("published_included"),
                row.getInteger("published_cap"), instant(row.getOffsetDateTime("published_period_end")));
        String dunning = row.getString("dunning_state") == null ? "ok" : row.getString("dunning_state");
        return new Account(row.getString("org_id"), subscription, dunning, own, published);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
