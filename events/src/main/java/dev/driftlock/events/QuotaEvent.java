package dev.driftlock.events;

/** Events of {@link Topics#QUOTA_STATE} (compacted: the latest per org wins). */
public sealed interface QuotaEvent extends DriftlockEvent permits QuotaStateChanged {
}
