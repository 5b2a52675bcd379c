package dev.driftlock.platform.inbox;

/**
 * Marks a failure that retrying cannot fix (an e-mail refused for good, retries of its own
 * exhausted): {@link EventDispatcher} does not retry it, so the record goes to the dead-letter
 * topic at once with the exception's message as the reason. A service's exception implements it;
 * {@link dev.driftlock.events.MalformedEventException} is treated the same way.
 */
public interface PermanentFailure {
}
