package dev.driftlock.events;

/** Events of {@link Topics#ANOMALIES}. */
public sealed interface AnomalyEvent extends DriftlockEvent permits AnomalyDetected, AnomalyUpdated, AnomalyRetracted {
}
