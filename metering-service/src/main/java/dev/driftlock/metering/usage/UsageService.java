package dev.driftlock.metering.usage;

import dev.driftlock.events.AnomalyDetected;
import dev.driftlock.metering.MeteringConfig;
import dev.driftlock.metering.inbox.ProcessedEvents;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** Transaction boundary of usage counting. */
@ApplicationScoped
class UsageService {

    static final String CONSUMER = "usage";

    private final ProcessedEvents processed;
    private final UsageCounterRepository counters;
    private final MeteringConfig config;
    private final Clock clock;

    UsageService(ProcessedEvents processed, UsageCounterRepository counters, MeteringConfig config) {
        this.processed = processed;
        this.counters = counters;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    /** Adds one anomaly to its org's counter for the period of its detection time; a redelivery adds nothing. */
    Uni<Void> countAnomaly(UUID eventId, String orgId, AnomalyDetected anomaly) {
        BillingPeriod period = BillingPeriod.calendarMonthOf(anomaly.detectedAt());
        return Panache.withTransaction(() -> processed.firstTime(eventId, CONSUMER)
                .flatMap(first -> first ? counters.increment(orgId, period.start(), period.end()) : Uni.createFrom().voidItem()));
    }

    Uni<UsageView> current(String orgId) {
        BillingPeriod period = BillingPeriod.calendarMonthOf(Instant.now(clock));
        return Panache.withSession(() -> counters.anomalies(orgId, period.start()))
                .map(used -> new UsageView(config.freePlan().id(), period.start(), period.end(), config.freePlan().includedAnomalies(), used));
    }
}
