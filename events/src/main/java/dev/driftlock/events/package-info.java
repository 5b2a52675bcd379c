/**
 * DriftLock's Kafka contracts: topic names ({@link dev.driftlock.events.Topics}), the envelope
 * every event shares ({@link dev.driftlock.events.Envelope}), one sealed interface per topic with
 * its event records, and the Jackson serde ({@link dev.driftlock.events.EventJson}).
 *
 * <p>Rules: contracts only, no business logic. Changes are additive (new optional fields, new
 * event types); a breaking change is a new {@code schemaVersion} or a new topic. Readers are
 * tolerant: unknown fields are ignored, unknown event types are reported as
 * {@link dev.driftlock.events.UnknownEventTypeException} so a consumer can skip them.
 */
package dev.driftlock.events;
