package dev.driftlock.detection;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the detection service ({@code driftlock.detection.*}, env {@code DRIFTLOCK_DETECTION_*}). */
@ConfigMapping(prefix = "driftlock.detection")
public interface DetectionConfig {

    /** Limits of one ingested batch. */
    Ingest ingest();

    interface Ingest {
        /** Largest number of events in one {@code POST /v1/streams/{id}/events} batch. */
        @WithDefault("1000")
        int maxBatchEvents();

        /** Largest batch body in bytes. */
        @WithDefault("1048576")
        int maxBatchBytes();

        /** Retries of a record whose processing failed for a reason other than bad input, before it is dead-lettered. */
        @WithDefault("8")
        int processingRetries();
    }
}
