package dev.driftlock.events;

/** Any event payload; each topic has its own sealed sub-interface. */
public sealed interface DriftlockEvent
        permits AnomalyEvent, IngestionEvent, UsageEvent, QuotaEvent, BillingEvent, OrgEvent {
}
