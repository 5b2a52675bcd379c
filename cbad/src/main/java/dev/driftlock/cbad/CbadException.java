package dev.driftlock.cbad;

/**
 * Base of every error the CBAD engine throws on purpose. It is an {@link IllegalArgumentException}:
 * the caller passed a config, an event or a snapshot the engine cannot use. The engine never
 * reports such a problem with a {@code NullPointerException}.
 *
 * <ul>
 *   <li>{@link InvalidConfigException}: a {@link DetectorConfig} value is out of range or missing.</li>
 *   <li>{@link InvalidInputException}: an event cannot be read for the detector's {@link InputKind}.</li>
 *   <li>{@link SnapshotException}: a snapshot is truncated, corrupt or of an unknown version.</li>
 * </ul>
 */
public sealed class CbadException extends IllegalArgumentException
        permits CbadException.InvalidConfigException, CbadException.InvalidInputException,
                CbadException.SnapshotException {

    CbadException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A configuration value is invalid (range, null, unknown field). */
    public static final class InvalidConfigException extends CbadException {
        /** @param message what is wrong and which value is allowed */
        public InvalidConfigException(String message) {
            super(message, null);
        }
    }

    /** An event cannot be parsed or is empty/null for the configured input kind. */
    public static final class InvalidInputException extends CbadException {
        /** @param message what is wrong with the event */
        public InvalidInputException(String message) {
            super(message, null);
        }

        /**
         * @param message what is wrong with the event
         * @param cause   parser error
         */
        public InvalidInputException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A snapshot cannot be restored. */
    public static final class SnapshotException extends CbadException {
        /**
         * @param message what is wrong with the snapshot
         * @param cause   underlying error, may be null
         */
        public SnapshotException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
