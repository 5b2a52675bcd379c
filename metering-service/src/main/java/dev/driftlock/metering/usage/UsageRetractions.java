package dev.driftlock.metering.usage;

import dev.driftlock.metering.account.Account;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Takes retracted anomalies (false positives, {@code anomaly.retracted}) off the bill: each lowers the
 * usage of the period that counted it (chosen from its {@code detectedAt} as when it was counted) by
 * one, once per anomaly, and the counter is settled on its new total (a lower quota state is
 * published; thresholds and invoice steps already reached stay reached). A period already closed
 * keeps its final, billed figures: the retraction is recorded ({@code retracted_after_close}) but
 * not credited. Runs in the caller's transaction, with the orgs' locks held.
 */
@ApplicationScoped
class UsageRetractions {

    private static final Logger LOG = Logger.getLogger(UsageRetractions.class);

    /** One anomaly to take off the bill. */
    record RetractedAnomaly(java.util.UUID eventId, String orgId, String anomalyId, Instant detectedAt) {
    }

    private final UsageCounterRepository counters;
    private final UsageLedger ledger;

    UsageRetractions(UsageCounterRepository counters, UsageLedger ledger) {
        this.counters = counters;
        this.ledger = ledger;
    }

    Uni<Void> retract(SqlConnection conn, Map<String, Account> locked, Map<String, List<BillingPeriod>> earlier,
                      List<RetractedAnomaly> retracted, Instant now) {
        return UsageLedger.inOrder(retracted, r -> {
            Account account = locked.get(r.orgId());
            BillingPeriod period = BillingPeriod.of(account.subscription(), earlier.getOrDefault(r.orgId(), List.of()),
                    r.detectedAt()).period();
            return counters.closed(conn, r.orgId(), period.start()).flatMap(closed -> counters
                    .recordRetraction(conn, r.orgId(), r.anomalyId(), period.start(), r.detectedAt(), closed)
                    .flatMap(fresh -> {
                        if (!fresh) {
                            return Uni.createFrom().voidItem();
                        }
                        if (closed) {
                            LOG.warnf("org %s: anomaly %s retracted after its period from %s was closed; recorded, not credited",
                                    r.orgId(), r.anomalyId(), period.start());
                            return counters.retractAfterClose(conn, r.orgId(), period.start());
                        }
                        LocalDate day = LocalDate.ofInstant(r.detectedAt(), ZoneOffset.UTC);
                        return counters.subtractOne(conn, r.orgId(), period.start(), day).flatMap(counter -> counter.isEmpty()
                                ? Uni.createFrom().voidItem()
                                : ledger.settle(conn, account, counter.get(), counter.get().anomalies() + 1, now));
                    }));
        });
    }
}
