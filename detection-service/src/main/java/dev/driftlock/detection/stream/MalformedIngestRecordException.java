package dev.driftlock.detection.stream;

/** An ingest record that can never be processed; it goes to the dead-letter topic with this message. */
class MalformedIngestRecordException extends RuntimeException {

    MalformedIngestRecordException(String reason) {
        super(reason);
    }
}
