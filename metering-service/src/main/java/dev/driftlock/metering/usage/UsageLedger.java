package dev.driftlock.metering.usage;

import dev.driftlock.events.Envelope;
import dev.driftlock.events.InvoiceThresholdReached;
import dev.driftlock.events.PeriodClosed;
import dev.driftlock.events.QuotaStateChanged;
import dev.driftlock.events.Topics;
import dev.driftlock.events.UsageThresholdCrossed;
import dev.driftlock.metering.account.Account;
import dev.driftlock.metering.account.AccountRepository;
import dev.driftlock.metering.account.PublishedQuota;
import dev.driftlock.metering.account.QuotaPolicy;
import dev.driftlock.platform.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Settles a counter after it changed: records the usage thresholds and invoice steps it reached
 * (each once per period: a unique row decides, the outbox event is written only with a new row) and,
 * for the org's current period, publishes the quota state when it changed; closes ended periods. A
 * closed period's counter still counts late anomalies (history) but publishes nothing more. Runs
 * inside the caller's transaction, with the org's lock held.
 */
@ApplicationScoped
class UsageLedger {

    private static final Logger LOG = Logger.getLogger(UsageLedger.class);

    private final UsageCounterRepository counters;
    private final AccountRepository accounts;
    private final Outbox outbox;
    private final Plans plans;

    UsageLedger(UsageCounterRepository counters, AccountRepository accounts, Outbox outbox, Plans plans) {
        this.counters = counters;
        this.accounts = accounts;
        this.outbox = outbox;
        this.plans = plans;
    }

    /** Settles the org's current period (after a plan, dunning or policy change, or a roll-over). */
    Uni<Void> settleCurrent(SqlConnection conn, Account account, Instant now) {
        BillingPeriod.Choice current = plans.current(account, now);
        return counters.find(conn, account.orgId(), current.period().start())
                .flatMap(found -> settle(conn, account,
                        found.orElseGet(() -> new Counter(account.orgId(), current.period(), plans.terms(account, current), 0)),
                        EVERYTHING, now));
    }

    /** {@code before} for a settle that re-checks every threshold and step (terms or policy may have changed). */
    static final long EVERYTHING = -1;

    /**
     * Settles a counter that went from {@code before} to its current total: thresholds and steps between
     * the two are recorded (or all reached ones for {@link #EVERYTHING}); the unique rows keep each one
     * to a single event either way.
     */
    Uni<Void> settle(SqlConnection conn, Account account, Counter counter, long before, Instant now) {
        if (counter.period().end().isAfter(now)) {
            return settleOpen(conn, account, counter, before, now);
        }
        return counters.countLate(conn, counter).flatMap(late -> {
            if (late.isEmpty()) {
                return settleOpen(conn, account, counter, before, now);
            }
            LOG.warnf("org %s: %d anomalies of the period from %s counted after it was closed; kept in the counter, not billed",
                    counter.orgId(), late.get(), counter.period().start());
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * Closes the counter's period: records its final figures and publishes {@code usage.period_closed}
     * once (a second close, on another run or instance, finds the row and publishes nothing).
     */
    Uni<Boolean> close(SqlConnection conn, Counter counter, Instant now) {
        Terms terms = counter.terms();
        long overage = UsageRules.overage(counter.anomalies(), terms.includedAnomalies());
        long cents = UsageRules.overageCents(overage, terms.overagePriceMicros());
        BillingPeriod period = counter.period();
        return counters.recordClose(conn, counter, overage, cents, now).call(fresh -> !fresh ? Uni.createFrom().voidItem()
                : outbox.append(conn, Topics.USAGE, Envelope.of(periodClosedId(counter.orgId(), period.start()), counter.orgId(), now,
                        new PeriodClosed(terms.includedAnomalies(), counter.anomalies(), overage, cents, terms.currency(),
                                period.start(), period.end(), terms.plan()))));
    }

    /** Deterministic id of the one {@code usage.period_closed} of an org and period. */
    static UUID periodClosedId(String orgId, Instant periodStart) {
        return UUID.nameUUIDFromBytes(("usage-period-closed/" + orgId + "/" + periodStart).getBytes(StandardCharsets.UTF_8));
    }

    private Uni<Void> settleOpen(SqlConnection conn, Account account, Counter counter, long before, Instant now) {
        QuotaPolicy policy = plans.policy(account);
        return thresholds(conn, counter, before, policy, now)
                .flatMap(v -> invoiceSteps(conn, counter, before, policy, now))
                .flatMap(v -> plans.current(account, now).period().equals(counter.period())
                        ? quota(conn, account, counter, policy, now)
                        : Uni.createFrom().voidItem());
    }

    private Uni<Void> thresholds(SqlConnection conn, Counter counter, long before, QuotaPolicy policy, Instant now) {
        Terms terms = counter.terms();
        List<Integer> reached = UsageRules.reached(counter.anomalies(), terms.includedAnomalies(), UsageRules.thresholds(policy)).stream()
                .filter(t -> before == EVERYTHING || !UsageRules.atLeast(before, terms.includedAnomalies(), t))
                .toList();
        if (reached.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        BillingPeriod period = counter.period();
        return counters.recordThresholds(conn, counter.orgId(), period.start(), reached, counter.anomalies())
                .flatMap(fresh -> inOrder(fresh, threshold -> outbox.append(conn, Topics.USAGE, Envelope.of(
                        factId("usage-threshold-crossed", counter, threshold), counter.orgId(), now,
                        new UsageThresholdCrossed(threshold, counter.anomalies(), terms.includedAnomalies(), terms.plan(),
                                period.start(), period.end())))));
    }

    private Uni<Void> invoiceSteps(SqlConnection conn, Counter counter, long before, QuotaPolicy policy, Instant now) {
        Terms terms = counter.terms();
        long overage = UsageRules.overage(counter.anomalies(), terms.includedAnomalies());
        long cents = UsageRules.overageCents(overage, terms.overagePriceMicros());
        int steps = UsageRules.invoiceSteps(cents, policy.invoiceThresholdCents());
        int stepsBefore = before == EVERYTHING ? 0 : UsageRules.invoiceSteps(
                UsageRules.overageCents(UsageRules.overage(before, terms.includedAnomalies()), terms.overagePriceMicros()),
                policy.invoiceThresholdCents());
        if (steps == 0 || steps == stepsBefore) {
            return Uni.createFrom().voidItem();
        }
        BillingPeriod period = counter.period();
        return counters.recordInvoiceSteps(conn, counter.orgId(), period.start(), steps, cents)
                .flatMap(fresh -> inOrder(fresh, step -> outbox.append(conn, Topics.USAGE, Envelope.of(
                        factId("invoice-threshold-reached", counter, step), counter.orgId(), now,
                        new InvoiceThresholdReached(step, policy.invoiceThresholdCents(), overage, cents, terms.currency(),
                                period.start(), period.end())))));
    }

    private Uni<Void> quota(SqlConnection conn, Account account, Counter counter, QuotaPolicy policy, Instant now) {
        long included = counter.terms().includedAnomalies();
        UsageRules.QuotaState state = UsageRules.quotaState(counter.anomalies(), included, policy, account.dunningState(),
                plans.warningPercent());
        PublishedQuota next = new PublishedQuota(state.state(), state.reason(), policy.policy(), included, state.capPercent(),
                counter.period().end());
        PublishedQuota last = account.published();
        boolean unchanged = last == null ? UsageRules.QuotaState.OK.equals(next.state()) : last.equals(next);
        if (unchanged) {
            return Uni.createFrom().voidItem();
        }
        QuotaStateChanged event = new QuotaStateChanged(next.state(), next.reason(), next.policy(), counter.anomalies(), included,
                next.capPercent(), next.periodEnd(), QuotaMessages.of(next, counter.anomalies()));
        return accounts.savePublished(conn, account.orgId(), next, counter.anomalies())
                .flatMap(v -> outbox.append(conn, Topics.QUOTA_STATE, Envelope.of(UUID.randomUUID(), account.orgId(), now, event)));
    }

    /** Deterministic id of a fact published once per org, period and threshold/step. */
    private static UUID factId(String fact, Counter counter, int value) {
        String name = fact + "/" + counter.orgId() + "/" + counter.period().start() + "/" + value;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    static <T> Uni<Void> inOrder(List<T> items, Function<T, Uni<Void>> action) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (T item : items) {
            chain = chain.flatMap(v -> action.apply(item));
        }
        return chain;
    }
}
