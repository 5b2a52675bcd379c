package dev.driftlock.events;

import java.util.List;

/** Every Kafka topic of the suite, with the partitioning and retention it is created with. */
public final class Topics {

    /** Raw customer events to detect on. Key: {@code orgId/streamId}; org and stream also in headers. */
    public static final String INGEST = "driftlock.ingest.v1";
    /** Detected anomalies ({@link AnomalyEvent}). Key: org id. */
    public static final String ANOMALIES = "driftlock.anomalies.v1";
    /** Per-batch ingestion counts, for usage charts, never billed ({@link IngestionEvent}). Key: org id. */
    public static final String INGESTION = "driftlock.ingestion.v1";
    /** Usage thresholds and invoice thresholds ({@link UsageEvent}). Key: org id. */
    public static final String USAGE = "driftlock.usage.v1";
    /** Latest quota state per org, compacted ({@link QuotaEvent}). Key: org id. */
    public static final String QUOTA_STATE = "driftlock.quota-state.v1";
    /** Subscription, dunning, payment and invoice facts ({@link BillingEvent}). Key: org id. */
    public static final String BILLING = "driftlock.billing.v1";
    /** Organization lifecycle ({@link OrgEvent}). Key: org id. */
    public static final String ORGS = "driftlock.orgs.v1";

    /** Dead letters of each consuming service: the original record plus {@code dead-letter-*} headers. */
    public static final String DETECTION_DLQ = "driftlock.detection.dlq.v1";
    public static final String METERING_DLQ = "driftlock.metering.dlq.v1";
    public static final String BILLING_DLQ = "driftlock.billing.dlq.v1";
    public static final String NOTIFICATION_DLQ = "driftlock.notification.dlq.v1";
    public static final String GATEWAY_DLQ = "driftlock.gateway.dlq.v1";

    /** How a topic is created: partitions and whether it is log-compacted. */
    public record TopicSpec(String name, int partitions, boolean compacted) {
    }

    /** All topics, as {@code ./driftlock up} and the test infrastructure create them. */
    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(INGEST, 6, false),
            new TopicSpec(ANOMALIES, 6, false),
            new TopicSpec(INGESTION, 3, false),
            new TopicSpec(USAGE, 3, false),
            new TopicSpec(QUOTA_STATE, 3, true),
            new TopicSpec(BILLING, 3, false),
            new TopicSpec(ORGS, 3, false),
            new TopicSpec(DETECTION_DLQ, 1, false),
            new TopicSpec(METERING_DLQ, 1, false),
            new TopicSpec(BILLING_DLQ, 1, false),
            new TopicSpec(NOTIFICATION_DLQ, 1, false),
            new TopicSpec(GATEWAY_DLQ, 1, false));

    private Topics() {
    }
}
