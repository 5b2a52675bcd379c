/**
 * Incidents, the billable unit: flagged events of one stream with the same cause within a gap form
 * one anomaly that grows. Internal to the engine; the public view is {@link dev.driftlock.cbad.Incident}.
 */
package dev.driftlock.cbad.incident;
