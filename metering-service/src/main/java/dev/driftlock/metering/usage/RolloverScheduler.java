package dev.driftlock.metering.usage;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Period roll-over: orgs whose published quota state belongs to a period that has ended get their
 * state recomputed on the new, empty period (a cap block lifts, a warning clears).
 */
@ApplicationScoped
class RolloverScheduler {

    private final UsageService usage;

    RolloverScheduler(UsageService usage) {
        this.usage = usage;
    }

    @Scheduled(every = "${driftlock.metering.rollover-check-every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> rollOver() {
        return usage.rollOver().replaceWithVoid();
    }
}
