package dev.driftlock.events;

import java.time.Instant;
import java.util.Objects;

/**
 * The org's quota state as the gateway enforces it.
 *
 * @param state             {@code ok}, {@code warning} or {@code blocked}
 * @param reason            why: {@code none}, {@code usage_warning}, {@code cap_reached} (answer 429) or
 *                          {@code payment_suspended} (answer 402)
 * @param policy            {@code allow}, {@code soft_cap} or {@code hard_cap}
 * @param usedAnomalies     anomalies counted in the current period
 * @param includedAnomalies anomalies included in the plan
 * @param capPercent        the percent of included at which ingestion is blocked (for caps)
 * @param periodEnd         end of the current period (a cap block lifts then)
 * @param message           human-readable explanation and how to fix it
 */
public record QuotaStateChanged(
        String state, String reason, String policy, long usedAnomalies, long includedAnomalies, int capPercent,
        Instant periodEnd, String message) implements QuotaEvent {

    public QuotaStateChanged {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(policy, "policy");
    }
}
