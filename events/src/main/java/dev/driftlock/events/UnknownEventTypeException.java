package dev.driftlock.events;

/**
 * A well-formed envelope of a type this reader does not know (a newer producer): tolerant readers
 * skip it rather than dead-letter it.
 */
public final class UnknownEventTypeException extends MalformedEventException {

    private final String type;

    public UnknownEventTypeException(String type) {
        super("unknown event type '" + type + "'");
        this.type = type;
    }

    public String type() {
        return type;
    }
}
