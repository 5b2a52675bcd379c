package dev.driftlock.metering.usage;

import dev.driftlock.events.DunningStateChanged;
import dev.driftlock.events.EventsIngested;
import dev.driftlock.events.SubscriptionChanged;
import dev.driftlock.metering.MeteringConfig;
import dev.driftlock.metering.account.Account;
import dev.driftlock.metering.account.AccountRepository;
import dev.driftlock.metering.account.QuotaPolicy;
import dev.driftlock.metering.account.Subscription;
import dev.driftlock.platform.inbox.ProcessedEvents;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/** Transaction boundary of metering: one transaction per consumed batch, event or policy change. */
@ApplicationScoped
class UsageService {

    static final String ANOMALIES = "usage";
    static final String BILLING = "billing";
    static final String INGESTION = "ingestion";

    /** One anomaly to count. */
    record CountedAnomaly(UUID eventId, String orgId, Instant detectedAt) {
    }

    private final Pool pool;
    private final ProcessedEvents processed;
    private final AccountRepository accounts;
    private final UsageCounterRepository counters;
    private final UsageLedger ledger;
    private final Plans plans;
    private final Clock clock;
    private final Duration closeDelay;
    private final UsageRetractions retractor;

    UsageService(Pool pool, ProcessedEvents processed, AccountRepository accounts, UsageCounterRepository counters,
                 UsageLedger ledger, Plans plans, Clock clock, MeteringConfig config, UsageRetractions retractor) {
        this.retractor = retractor;
        this.pool = pool;
        this.processed = processed;
        this.accounts = accounts;
        this.counters = counters;
        this.ledger = ledger;
        this.plans = plans;
        this.clock = clock;
        this.closeDelay = config.periodCloseDelay();
    }

    /**
     * Counts a batch of anomalies and applies its retractions in one transaction: events seen before
     * (by this or another consumer) are dropped, the rest are summed per org and period and per org
     * and day, every changed counter is settled on its new total, and then each retracted anomaly
     * is taken off its period once ({@link UsageRetractions}).
     */
    Uni<Void> countAnomalies(List<CountedAnomaly> batch, List<UsageRetractions.RetractedAnomaly> retractions) {
        if (batch.isEmpty() && retractions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<UUID, CountedAnomaly> byId = new HashMap<>();
        batch.forEach(anomaly -> byId.putIfAbsent(anomaly.eventId(), anomaly));
        Map<UUID, UsageRetractions.RetractedAnomaly> retractionsById = new HashMap<>();
        retractions.forEach(r -> retractionsById.putIfAbsent(r.eventId(), r));
        Set<UUID> ids = new HashSet<>(byId.keySet());
        ids.addAll(retractionsById.keySet());
        Instant now = clock.instant();
        return pool.withTransaction(conn -> processed.firstTimes(conn, ids, ANOMALIES).flatMap(fresh -> {
            List<CountedAnomaly> counted = byId.values().stream().filter(a -> fresh.contains(a.eventId())).toList();
            List<UsageRetractions.RetractedAnomaly> retracted = retractions.stream()
                    .filter(r -> fresh.contains(r.eventId()) && retractionsById.get(r.eventId()) == r).toList();
            if (counted.isEmpty() && retracted.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            List<CountedAnomaly> dated = new ArrayList<>(counted);
            retracted.forEach(r -> dated.add(new CountedAnomaly(r.eventId(), r.orgId(), r.detectedAt())));
            List<String> orgs = dated.stream().map(CountedAnomaly::orgId).distinct().sorted().toList();
            return accounts.lock(conn, orgs).flatMap(locked -> earlierPeriods(conn, locked, dated)
                    .flatMap(earlier -> (counted.isEmpty() ? Uni.createFrom().voidItem() : count(conn, locked, earlier, counted, now))
                            .flatMap(v -> retractor.retract(conn, locked, earlier, retracted, now))));
        }));
    }

    private Uni<Void> count(SqlConnection conn, Map<String, Account> locked, Map<String, List<BillingPeriod>> earlier,
                            List<CountedAnomaly> counted, Instant now) {
        Map<String, UsageCounterRepository.Increment> increments = new TreeMap<>();
        Map<String, Map<LocalDate, long[]>> daily = new TreeMap<>();
        for (CountedAnomaly anomaly : counted) {
            Account account = locked.get(anomaly.orgId());
            BillingPeriod.Choice choice = BillingPeriod.of(account.subscription(),
                    earlier.getOrDefault(anomaly.orgId(), List.of()), anomaly.detectedAt());
            increments.merge(key(anomaly.orgId(), choice.period()),
                    new UsageCounterRepository.Increment(anomaly.orgId(), choice.period(), plans.terms(account, choice), 1),
                    (a, b) -> new UsageCounterRepository.Increment(a.orgId(), a.period(), a.terms(), a.anomalies() + b.anomalies()));
            LocalDate day = LocalDate.ofInstant(anomaly.detectedAt(), ZoneOffset.UTC);
            daily.computeIfAbsent(anomaly.orgId(), org -> new TreeMap<>()).computeIfAbsent(day, d -> new long[2])[0]++;
        }
        return counters.add(conn, increments.values())
                .flatMap(updated -> counters.addDaily(conn, daily).replaceWith(updated))
                .flatMap(updated -> UsageLedger.inOrder(updated, counter -> {
                    UsageCounterRepository.Increment added = increments.get(key(counter.orgId(), counter.period()));
                    long before = added == null ? UsageLedger.EVERYTHING : counter.anomalies() - added.anomalies();
                    return ledger.settle(conn, locked.get(counter.orgId()), counter, before, now);
                }));
    }

    private static String key(String orgId, BillingPeriod period) {
        return orgId + "\u0000" + period.start();
    }

    /** For orgs with anomalies detected before their subscription's period: their stored earlier periods. */
    private Uni<Map<String, List<BillingPeriod>>> earlierPeriods(SqlConnection conn, Map<String, Account> locked,
                                                                List<CountedAnomaly> counted) {
        List<String> late = counted.stream()
                .filter(a -> {
                    Subscription s = locked.get(a.orgId()).subscription();
                    return s != null && a.detectedAt().isBefore(s.periodStart());
                })
                .map(CountedAnomaly::orgId).distinct().sorted().toList();
        Map<String, List<BillingPeriod>> earlier = new HashMap<>();
        return UsageLedger.inOrder(late, org -> counters.periodsBefore(conn, org, locked.get(org).subscription().periodStart())
                        .invoke(periods -> earlier.put(org, periods)).replaceWithVoid())
                .replaceWith(earlier);
    }

    /** Applies a subscription change unless a newer revision is stored; the counter of its period takes the new terms. */
    Uni<Void> applySubscription(UUID eventId, String orgId, SubscriptionChanged changed) {
        Subscription subscription = new Subscription(changed.plan(), changed.status(), changed.includedAnomalies(),
                changed.overagePriceMicros(), changed.currency(), changed.periodStart(), changed.periodEnd(), changed.revision());
        return onceLocked(eventId, BILLING, orgId, (conn, account) -> accounts.applySubscription(conn, orgId, subscription)
                .flatMap(applied -> !applied ? Uni.createFrom().voidItem()
                        : counters.updateTerms(conn, orgId, new BillingPeriod(subscription.periodStart(), subscription.periodEnd()),
                                plans.terms(subscription)).flatMap(v -> resettle(conn, orgId))));
    }

    /** Applies a dunning change unless a newer revision is stored. */
    Uni<Void> applyDunning(UUID eventId, String orgId, DunningStateChanged changed) {
        return onceLocked(eventId, BILLING, orgId, (conn, account) -> accounts.applyDunning(conn, orgId, changed.state(), changed.revision())
                .flatMap(applied -> applied ? resettle(conn, orgId) : Uni.createFrom().voidItem()));
    }

    /** Adds a batch's accepted events to the day it was received (charts only, never billed). */
    Uni<Void> countIngested(UUID eventId, String orgId, EventsIngested ingested) {
        LocalDate day = LocalDate.ofInstant(ingested.receivedAt(), ZoneOffset.UTC);
        Map<LocalDate, long[]> perDay = new TreeMap<>();
        perDay.put(day, new long[] {0, ingested.accepted()});
        return pool.withTransaction(conn -> processed.firstTime(conn, eventId, INGESTION)
                .flatMap(first -> first ? counters.addDaily(conn, Map.of(orgId, perDay)) : Uni.createFrom().voidItem()));
    }

    /** Stores the org's policy and republishes its quota state; answers the effective policy. */
    Uni<QuotaPolicy> changePolicy(String orgId, String principal, QuotaPolicy policy) {
        return pool.withTransaction(conn -> accounts.lock(conn, List.of(orgId))
                .flatMap(locked -> accounts.savePolicy(conn, orgId, policy, principal))
                .flatMap(v -> resettle(conn, orgId))
                .flatMap(v -> accounts.lock(conn, List.of(orgId)))
                .map(locked -> plans.policy(locked.get(orgId))));
    }

    Uni<QuotaPolicy> policy(String orgId) {
        return accounts.read(pool, orgId).map(plans::policy);
    }

    /** Re-settles orgs whose published quota state belongs to an ended period (the new period starts fresh). */
    Uni<Integer> rollOver() {
        Instant now = clock.instant();
        return pool.withConnection(conn -> accounts.orgsWithEndedPeriod(conn, now, 200))
                .flatMap(orgs -> UsageLedger.inOrder(orgs, org -> pool.withTransaction(conn -> resettle(conn, org))).replaceWith(orgs.size()));
    }

    /**
     * Closes periods that ended at least {@code period-close-delay} ago: each in its own transaction
     * under the org's lock, on the counter's total at that moment; answers how many were closed now.
     */
    Uni<Integer> closePeriods() {
        Instant now = clock.instant();
        return pool.withConnection(conn -> counters.unclosed(conn, now.minus(closeDelay), 200))
                .flatMap(ended -> {
                    int[] closed = {0};
                    return UsageLedger.inOrder(ended, period -> pool.withTransaction(conn -> accounts.lock(conn, List.of(period.orgId()))
                                    .flatMap(locked -> counters.find(conn, period.orgId(), period.periodStart()))
                                    .flatMap(counter -> counter.isEmpty() ? Uni.createFrom().item(false)
                                            : ledger.close(conn, counter.get(), now)))
                                    .invoke(fresh -> closed[0] += fresh ? 1 : 0)
                                    .replaceWithVoid())
                            .map(v -> closed[0]);
                });
    }

    /** The caller org's usage in its current period. */
    Uni<UsageView> current(String orgId) {
        Instant now = clock.instant();
        return pool.withConnection(conn -> accounts.read(conn, orgId).flatMap(account -> {
            BillingPeriod.Choice current = plans.current(account, now);
            return counters.find(conn, orgId, current.period().start())
                    .map(found -> found.orElseGet(() -> new Counter(orgId, current.period(), plans.terms(account, current), 0)))
                    .flatMap(counter -> counters.thresholdsReached(conn, orgId, current.period().start())
                            .map(reached -> view(account, counter, reached, now)));
        }));
    }

    Uni<HistoryView> history(String orgId, LocalDate from, LocalDate to) {
        return counters.history(pool, orgId, from, to).map(days -> new HistoryView(from, to, days.stream()
                .map(d -> new HistoryView.Day(d.day(), d.anomalies(), d.ingestedEvents())).toList()));
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private UsageView view(Account account, Counter counter, List<Integer> reached, Instant now) {
        Terms terms = counter.terms();
        long used = counter.anomalies();
        long overage = UsageRules.overage(used, terms.includedAnomalies());
        QuotaPolicy policy = plans.policy(account);
        UsageRules.QuotaState state = UsageRules.quotaState(used, terms.includedAnomalies(), policy, account.dunningState(),
                plans.warningPercent());
        long secondsLeft = Math.max(0, Duration.between(now, counter.period().end()).toSeconds());
        long daysLeft = (secondsLeft + 86_399) / 86_400;
        return new UsageView(terms.plan(), counter.period().start(), counter.period().end(), terms.includedAnomalies(), used,
                Math.min(used, terms.includedAnomalies()), overage, terms.overagePriceMicros(),
                UsageRules.overageCents(overage, terms.overagePriceMicros()), terms.currency(),
                UsageRules.percentUsed(used, terms.includedAnomalies()), daysLeft, reached,
                new UsageView.Quota(state.state(), state.reason(), policy.policy(), state.capPercent()));
    }

    /** Re-reads the org's account under its lock and settles its current period. */
    private Uni<Void> resettle(SqlConnection conn, String orgId) {
        Instant now = clock.instant();
        return accounts.lock(conn, List.of(orgId)).flatMap(locked -> ledger.settleCurrent(conn, locked.get(orgId), now));
    }

    private interface LockedEffect {
        Uni<Void> apply(SqlConnection conn, Account account);
    }

    private Uni<Void> onceLocked(UUID eventId, String consumer, String orgId, LockedEffect effect) {
        return pool.withTransaction(conn -> processed.firstTime(conn, eventId, consumer).flatMap(first -> !first
                ? Uni.createFrom().voidItem()
                : accounts.lock(conn, List.of(orgId)).flatMap(locked -> effect.apply(conn, locked.get(orgId)))));
    }
}
