package dev.driftlock.events;

/** Events of {@link Topics#ORGS}. */
public sealed interface OrgEvent extends DriftlockEvent permits OrgCreated, OrgUpdated {
}
