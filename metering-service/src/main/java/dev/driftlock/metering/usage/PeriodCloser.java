package dev.driftlock.metering.usage;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Period close: counters whose period ended at least {@code period-close-delay} ago get their final
 * figures recorded and published once ({@code usage.period_closed}). Safe on several instances and
 * overlapping runs: the org lock and the {@code period_close} row decide the one event.
 */
@ApplicationScoped
class PeriodCloser {

    private final UsageService usage;

    PeriodCloser(UsageService usage) {
        this.usage = usage;
    }

    @Scheduled(every = "${driftlock.metering.period-close-check-every:60s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> closeEnded() {
        return closeNow().replaceWithVoid();
    }

    /** One run: answers how many periods it closed. */
    Uni<Integer> closeNow() {
        return usage.closePeriods();
    }
}
