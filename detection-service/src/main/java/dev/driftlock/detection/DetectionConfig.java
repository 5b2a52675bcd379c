package dev.driftlock.detection;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the detection service ({@code driftlock.detection.*}, env {@code DRIFTLOCK_DETECTION_*}). */
@ConfigMapping(prefix = "driftlock.detection")
public interface DetectionConfig {

    /** Limits of one ingested batch and the ingest consumer. */
    Ingest ingest();

    /** Per-stream detector state. */
    Streams streams();

    /** The transactional outbox relay. */
    Outbox outbox();

    /** The synchronous Monitor API ({@code POST /v1/detect}). */
    Monitor monitor();

    /** The Server-Sent Events feed of anomalies. */
    Feed feed();

    /** Retention of the client event ids seen ({@code event_ref}). */
    EventRef eventRef();

    interface Ingest {
        /** Largest number of events in one {@code POST /v1/streams/{id}/events} batch. */
        @WithDefault("1000")
        int maxBatchEvents();

        /** Largest batch body in bytes. */
        @WithDefault("1048576")
        int maxBatchBytes();

        /** Whether this replica consumes the ingest topic (off only for tools and tests). */
        @WithDefault("true")
        boolean consumerEnabled();

        /** Kafka consumer group of the ingest consumer. */
        @WithDefault("detection-service")
        String groupId();

        /** Records per poll (one database transaction per partition and poll). */
        @WithDefault("500")
        int maxPollRecords();
    }

    interface Streams {
        /** A stream's detector snapshot is saved after this many scored events (and on revocation, eviction, shutdown). */
        @WithDefault("1000")
        int snapshotEveryEvents();

        /** ...or when its last snapshot is older than this and it scored events since. */
        @WithDefault("60s")
        Duration snapshotEvery();

        /** A stream without events for this long is evicted from memory to its snapshot. */
        @WithDefault("10m")
        Duration idleEviction();

        /** How often the consumer looks for changed detection settings. */
        @WithDefault("1s")
        Duration settingsRefresh();
    }

    interface Outbox {
        /** Rows published per relay round. */
        @WithDefault("500")
        int batchSize();

        /** Published rows older than this are deleted. */
        @WithDefault("24h")
        Duration retention();
    }

    interface Monitor {
        /** Largest number of items (baseline plus items) of one {@code POST /v1/detect}. */
        @WithDefault("10000")
        int maxItems();

        /** Largest request body in bytes. */
        @WithDefault("4194304")
        int maxBytes();
    }

    interface Feed {
        /** How often an open SSE connection looks for new anomalies. */
        @WithDefault("250ms")
        Duration pollInterval();

        /** Anomalies younger than this are held back, so a slower concurrent transaction cannot be skipped. */
        @WithDefault("1s")
        Duration settle();
    }

    interface EventRef {
        /**
         * Client event ids seen longer ago than this are forgotten: a retry arriving later is scored
         * again. Keep it at least the ingest topic's Kafka retention (7 days by default), so every
         * record Kafka can still replay meets the same ids it met the first time (ADR 0504).
         */
        @WithDefault("7d")
        Duration retention();

        /** Rows deleted per statement (each batch its own short transaction). */
        @WithDefault("10000")
        int batchSize();

        /** How often the retention job runs (a Quarkus scheduler interval; {@code off} disables it). */
        @WithDefault("10m")
        String cleanupInterval();
    }
}
