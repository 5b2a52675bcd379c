package dev.driftlock.metering.usage;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-org, per-period anomaly counters, the daily series, and the thresholds and invoice steps
 * reached per period. Writes run on the caller's connection inside its transaction.
 */
@ApplicationScoped
class UsageCounterRepository {

    /** One increment of a counter; a new counter is created with the given terms. */
    record Increment(String orgId, BillingPeriod period, Terms terms, long anomalies) {
    }

    /** One day of the history chart. */
    record Day(LocalDate day, long anomalies, long ingestedEvents) {
    }

    private static final String COUNTER_COLUMNS =
            "org_id, period_start, period_end, plan, included_anomalies, overage_price_micros, currency, anomalies";

    /**
     * Adds the increments (one statement; callers pass them sorted by org and period so row locks are
     * taken in a fixed order) and answers the counters' new totals.
     */
    Uni<List<Counter>> add(SqlConnection conn, Collection<Increment> increments) {
        int n = increments.size();
        String[] orgs = new String[n];
        OffsetDateTime[] starts = new OffsetDateTime[n];
        OffsetDateTime[] ends = new OffsetDateTime[n];
        String[] plans = new String[n];
        Long[] included = new Long[n];
        Long[] prices = new Long[n];
        String[] currencies = new String[n];
        Long[] counts = new Long[n];
        int i = 0;
        for (Increment inc : increments) {
            orgs[i] = inc.orgId();
            starts[i] = utc(inc.period().start());
            ends[i] = utc(inc.period().end());
            plans[i] = inc.terms().plan();
            included[i] = inc.terms().includedAnomalies();
            prices[i] = inc.terms().overagePriceMicros();
            currencies[i] = inc.terms().currency();
            counts[i] = inc.anomalies();
            i++;
        }
        return conn.preparedQuery("INSERT INTO usage_counter (" + COUNTER_COLUMNS + ") "
                        + """
                        SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::text[], $5::bigint[],
                                             $6::bigint[], $7::text[], $8::bigint[])
                        ON CONFLICT (org_id, period_start) DO UPDATE SET anomalies = usage_counter.anomalies + EXCLUDED.anomalies
                        RETURNING """ + " " + COUNTER_COLUMNS)
                .execute(Tuple.from(List.of(orgs, starts, ends, plans, included, prices, currencies, counts)))
                .map(UsageCounterRepository::counters);
    }

    /** Adds anomalies (by detection day) and ingested events (by receive day) to the daily series. */
    Uni<Void> addDaily(SqlConnection conn, Map<String, Map<LocalDate, long[]>> byOrgAndDay) {
        List<String> orgs = new ArrayList<>();
        List<LocalDate> days = new ArrayList<>();
        List<Long> anomalies = new ArrayList<>();
        List<Long> ingested = new ArrayList<>();
        byOrgAndDay.forEach((org, perDay) -> perDay.forEach((day, counts) -> {
            orgs.add(org);
            days.add(day);
            anomalies.add(counts[0]);
            ingested.add(counts[1]);
        }));
        if (orgs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("""
                        INSERT INTO daily_usage (org_id, day, anomalies, ingested_events)
                        SELECT * FROM unnest($1::text[], $2::date[], $3::bigint[], $4::bigint[])
                        ON CONFLICT (org_id, day) DO UPDATE SET anomalies = daily_usage.anomalies + EXCLUDED.anomalies,
                            ingested_events = daily_usage.ingested_events + EXCLUDED.ingested_events
                        """)
                .execute(Tuple.of(orgs.toArray(String[]::new), days.toArray(LocalDate[]::new), anomalies.toArray(Long[]::new),
                        ingested.toArray(Long[]::new)))
                .replaceWithVoid();
    }

    /**
     * Records an anomaly's retraction; true when it was not recorded before (the usage is lowered once
     * per anomaly, whatever the event id of the retraction).
     */
    Uni<Boolean> recordRetraction(SqlConnection conn, String orgId, String anomalyId, Instant periodStart, Instant detectedAt,
                                  boolean afterClose) {
        return conn.preparedQuery("""
                        INSERT INTO anomaly_retraction (org_id, anomaly_id, period_start, detected_at, after_close)
                        VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
                        """)
                .execute(Tuple.of(orgId, anomalyId, utc(periodStart), utc(detectedAt), afterClose))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Whether the org's period starting at {@code periodStart} is closed (its final figures published). */
    Uni<Boolean> closed(SqlConnection conn, String orgId, Instant periodStart) {
        return conn.preparedQuery("SELECT 1 FROM period_close WHERE org_id = $1 AND period_start = $2")
                .execute(Tuple.of(orgId, utc(periodStart)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Counts a retraction that came after the period closed (its figures stay as billed). */
    Uni<Void> retractAfterClose(SqlConnection conn, String orgId, Instant periodStart) {
        return conn.preparedQuery("""
                        UPDATE period_close SET retracted_after_close = retracted_after_close + 1
                        WHERE org_id = $1 AND period_start = $2
                        """)
                .execute(Tuple.of(orgId, utc(periodStart)))
                .replaceWithVoid();
    }

    /**
     * Takes one anomaly off a counter (never below zero) and off its detection day; answers the
     * counter's new total, empty when the period has no counter.
     */
    Uni<Optional<Counter>> subtractOne(SqlConnection conn, String orgId, Instant periodStart, LocalDate day) {
        return conn.preparedQuery("""
                        UPDATE daily_usage SET anomalies = greatest(0, anomalies - 1) WHERE org_id = $1 AND day = $2
                        """)
                .execute(Tuple.of(orgId, day))
                .flatMap(v -> conn.preparedQuery("UPDATE usage_counter SET anomalies = greatest(0, anomalies - 1) "
                                + "WHERE org_id = $1 AND period_start = $2 RETURNING " + COUNTER_COLUMNS)
                        .execute(Tuple.of(orgId, utc(periodStart))))
                .map(rows -> counters(rows).stream().findFirst());
    }

    /** The org's counter periods that start before {@code before}, newest first (for late events). */
    Uni<List<BillingPeriod>> periodsBefore(SqlConnection conn, String orgId, Instant before) {
        return conn.preparedQuery("""
                        SELECT period_start, period_end FROM usage_counter WHERE org_id = $1 AND period_start < $2
                        ORDER BY period_start DESC LIMIT 36
                        """)
                .execute(Tuple.of(orgId, utc(before)))
                .map(rows -> {
                    List<BillingPeriod> periods = new ArrayList<>();
                    rows.forEach(row -> periods.add(new BillingPeriod(row.getOffsetDateTime("period_start").toInstant(),
                            row.getOffsetDateTime("period_end").toInstant())));
                    return periods;
                });
    }

    Uni<Optional<Counter>> find(SqlClient client, String orgId, Instant periodStart) {
        return client.preparedQuery("SELECT " + COUNTER_COLUMNS + " FROM usage_counter WHERE org_id = $1 AND period_start = $2")
                .execute(Tuple.of(orgId, utc(periodStart)))
                .map(rows -> counters(rows).stream().findFirst());
    }

    /** A subscription changed: the counter of its period takes the new terms (e.g. an upgrade mid-period). */
    Uni<Void> updateTerms(SqlConnection conn, String orgId, BillingPeriod period, Terms terms) {
        return conn.preparedQuery("""
                        UPDATE usage_counter SET period_end = $3, plan = $4, included_anomalies = $5, overage_price_micros = $6,
                            currency = $7
                        WHERE org_id = $1 AND period_start = $2
                        """)
                .execute(Tuple.from(List.of(orgId, utc(period.start()), utc(period.end()), terms.plan(), terms.includedAnomalies(),
                        terms.overagePriceMicros(), terms.currency())))
                .replaceWithVoid();
    }

    /** Records the thresholds reached; answers those that were not recorded before (each is published once). */
    Uni<List<Integer>> recordThresholds(SqlConnection conn, String orgId, Instant periodStart, List<Integer> thresholds, long used) {
        return conn.preparedQuery("""
                        INSERT INTO usage_threshold (org_id, period_start, threshold_percent, used_anomalies)
                        SELECT $1, $2, t, $4 FROM unnest($3::int[]) AS t
                        ON CONFLICT DO NOTHING
                        RETURNING threshold_percent
                        """)
                .execute(Tuple.of(orgId, utc(periodStart), thresholds.toArray(Integer[]::new), used))
                .map(rows -> {
                    List<Integer> recorded = new ArrayList<>();
                    rows.forEach(row -> recorded.add(row.getInteger("threshold_percent")));
                    recorded.sort(Integer::compare);
                    return recorded;
                });
    }

    /** Records invoice steps 1..steps; answers the steps that were not recorded before. */
    Uni<List<Integer>> recordInvoiceSteps(SqlConnection conn, String orgId, Instant periodStart, int steps, long overageCents) {
        return conn.preparedQuery("""
                        INSERT INTO invoice_threshold_step (org_id, period_start, step, overage_cents)
                        SELECT $1, $2, s, $4 FROM generate_series(1, $3::int) AS s
                        ON CONFLICT DO NOTHING
                        RETURNING step
                        """)
                .execute(Tuple.of(orgId, utc(periodStart), steps, overageCents))
                .map(rows -> {
                    List<Integer> recorded = new ArrayList<>();
                    rows.forEach(row -> recorded.add(row.getInteger("step")));
                    recorded.sort(Integer::compare);
                    return recorded;
                });
    }

    /** A counter's period to close: org and period start. */
    record Ended(String orgId, Instant periodStart) {
    }

    /** Counters whose period ended at or before {@code endedBy} and that are not closed yet, oldest end first. */
    Uni<List<Ended>> unclosed(SqlClient client, Instant endedBy, int limit) {
        return client.preparedQuery("""
                        SELECT c.org_id, c.period_start FROM usage_counter c
                        WHERE c.period_end <= $1
                          AND NOT EXISTS (SELECT 1 FROM period_close p WHERE p.org_id = c.org_id AND p.period_start = c.period_start)
                        ORDER BY c.period_end, c.org_id LIMIT $2
                        """)
                .execute(Tuple.of(utc(endedBy), limit))
                .map(rows -> {
                    List<Ended> ended = new ArrayList<>();
                    rows.forEach(row -> ended.add(new Ended(row.getString("org_id"), row.getOffsetDateTime("period_start").toInstant())));
                    return ended;
                });
    }

    /** Records the counter's period as closed with these figures; true when it was not closed before (publish once). */
    Uni<Boolean> recordClose(SqlConnection conn, Counter counter, long overageAnomalies, long overageCents, Instant closedAt) {
        Terms terms = counter.terms();
        return conn.preparedQuery("""
                        INSERT INTO period_close (org_id, period_start, period_end, plan, included_anomalies, used_anomalies,
                                                  overage_anomalies, overage_cents, currency, closed_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                        ON CONFLICT DO NOTHING
                        RETURNING org_id
                        """)
                .execute(Tuple.from(List.of(counter.orgId(), utc(counter.period().start()), utc(counter.period().end()), terms.plan(),
                        terms.includedAnomalies(), counter.anomalies(), overageAnomalies, overageCents, terms.currency(), utc(closedAt))))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * If the counter's period is closed: records how many of its anomalies were counted after the close
     * and answers that number; empty when the period is not closed.
     */
    Uni<Optional<Long>> countLate(SqlConnection conn, Counter counter) {
        return conn.preparedQuery("""
                        UPDATE period_close SET late_anomalies = $3 - used_anomalies
                        WHERE org_id = $1 AND period_start = $2
                        RETURNING late_anomalies
                        """)
                .execute(Tuple.of(counter.orgId(), utc(counter.period().start()), counter.anomalies()))
                .map(rows -> rows.rowCount() == 0 ? Optional.<Long>empty() : Optional.of(rows.iterator().next().getLong("late_anomalies")));
    }

    Uni<List<Integer>> thresholdsReached(SqlClient client, String orgId, Instant periodStart) {
        return client.preparedQuery("""
                        SELECT threshold_percent FROM usage_threshold WHERE org_id = $1 AND period_start = $2 ORDER BY threshold_percent
                        """)
                .execute(Tuple.of(orgId, utc(periodStart)))
                .map(rows -> {
                    List<Integer> reached = new ArrayList<>();
                    rows.forEach(row -> reached.add(row.getInteger("threshold_percent")));
                    return reached;
                });
    }

    /** The daily series from {@code from} to {@code to} inclusive, with zero days filled in. */
    Uni<List<Day>> history(SqlClient client, String orgId, LocalDate from, LocalDate to) {
        return client.preparedQuery("""
                        SELECT d::date AS day, COALESCE(u.anomalies, 0) AS anomalies, COALESCE(u.ingested_events, 0) AS ingested_events
                        FROM generate_series($2::date, $3::date, interval '1 day') AS d
                        LEFT JOIN daily_usage u ON u.org_id = $1 AND u.day = d::date
                        ORDER BY d
                        """)
                .execute(Tuple.of(orgId, from, to))
                .map(rows -> {
                    List<Day> days = new ArrayList<>();
                    rows.forEach(row -> days.add(new Day(row.getLocalDate("day"), row.getLong("anomalies"), row.getLong("ingested_events"))));
                    return days;
                });
    }

    private static List<Counter> counters(RowSet<Row> rows) {
        List<Counter> counters = new ArrayList<>();
        for (Row row : rows) {
            counters.add(new Counter(row.getString("org_id"),
                    new BillingPeriod(row.getOffsetDateTime("period_start").toInstant(), row.getOffsetDateTime("period_end").toInstant()),
                    new Terms(row.getString("plan"), row.getLong("included_anomalies"), row.getLong("overage_price_micros"),
                            row.getString("currency")),
                    row.getLong("anomalies")));
        }
        return counters;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
