package dev.driftlock.events;

/** Events of {@link Topics#USAGE}. */
public sealed interface UsageEvent extends DriftlockEvent permits UsageThresholdCrossed, InvoiceThresholdReached, PeriodClosed {
}
