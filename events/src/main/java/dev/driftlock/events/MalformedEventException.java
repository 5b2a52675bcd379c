package dev.driftlock.events;

/** A record that is not a valid DriftLock event; the message is the dead-letter reason. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
