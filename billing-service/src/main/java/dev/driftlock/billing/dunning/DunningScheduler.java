package dev.driftlock.billing.dunning;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Ends grace periods on the service clock. */
@ApplicationScoped
class DunningScheduler {

    private static final Logger LOG = Logger.getLogger(DunningScheduler.class);

    private final DunningService dunning;

    DunningScheduler(DunningService dunning) {
        this.dunning = dunning;
    }

    @Scheduled(every = "${driftlock.billing.dunning-check-every:1m}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> suspendExpired() {
        return dunning.suspendExpired()
                .invoke(suspended -> {
                    if (suspended > 0) {
                        LOG.infof("suspended %d org(s) whose grace ended", suspended);
                    }
                })
                .replaceWithVoid();
    }
}
