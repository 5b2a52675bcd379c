package dev.driftlock.events;

import java.time.Instant;
import java.util.Objects;

/**
 * The org's dunning state moved: {@code ok} -> {@code grace} (payment failed, ingestion allowed) ->
 * {@code suspended} (ingestion blocked) -> {@code ok} (paid).
 *
 * @param state         new state
 * @param previousState state before
 * @param graceEndsAt   when grace ends (for {@code grace}), else null
 * @param reason        why it moved
 * @param revision      monotonically increasing per org
 */
public record DunningStateChanged(String state, String previousState, Instant graceEndsAt, String reason, long revision)
        implements BillingEvent {

    public DunningStateChanged {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(previousState, "previousState");
    }
}
