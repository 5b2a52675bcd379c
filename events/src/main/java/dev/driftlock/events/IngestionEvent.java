package dev.driftlock.events;

/** Events of {@link Topics#INGESTION}. */
public sealed interface IngestionEvent extends DriftlockEvent permits EventsIngested {
}
