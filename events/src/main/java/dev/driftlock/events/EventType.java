package dev.driftlock.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry of event types: wire name, payload record, topic and current schema version.
 * The JSON Schema of each type is the classpath resource {@link #schemaResource()}.
 */
public enum EventType {
    ANOMALY_DETECTED("anomaly.detected", AnomalyDetected.class, Topics.ANOMALIES),
    ANOMALY_UPDATED("anomaly.updated", AnomalyUpdated.class, Topics.ANOMALIES),
    ANOMALY_RETRACTED("anomaly.retracted", AnomalyRetracted.class, Topics.ANOMALIES),
    EVENTS_INGESTED("ingestion.counted", EventsIngested.class, Topics.INGESTION),
    USAGE_THRESHOLD_CROSSED("usage.threshold_crossed", UsageThresholdCrossed.class, Topics.USAGE),
    INVOICE_THRESHOLD_REACHED("usage.invoice_threshold_reached", InvoiceThresholdReached.class, Topics.USAGE),
    PERIOD_CLOSED("usage.period_closed", PeriodClosed.class, Topics.USAGE),
    QUOTA_STATE_CHANGED("quota.state_changed", QuotaStateChanged.class, Topics.QUOTA_STATE),
    SUBSCRIPTION_CHANGED("billing.subscription_changed", SubscriptionChanged.class, Topics.BILLING),
    DUNNING_STATE_CHANGED("billing.dunning_state_changed", DunningStateChanged.class, Topics.BILLING),
    PAYMENT_FAILED("billing.payment_failed", PaymentFailed.class, Topics.BILLING),
    INVOICE_CREATED("billing.invoice_created", InvoiceCreated.class, Topics.BILLING),
    INVOICE_PAID("billing.invoice_paid", InvoicePaid.class, Topics.BILLING),
    ORG_CREATED("org.created", OrgCreated.class, Topics.ORGS),
    ORG_UPDATED("org.updated", OrgUpdated.class, Topics.ORGS);

    private static final Map<String, EventType> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::typeName, Function.identity()));

    private final String typeName;
    private final Class<? extends DriftlockEvent> payloadClass;
    private final String topic;

    EventType(String typeName, Class<? extends DriftlockEvent> payloadClass, String topic) {
        this.typeName = typeName;
        this.payloadClass = payloadClass;
        this.topic = topic;
    }

    public String typeName() {
        return typeName;
    }

    public Class<? extends DriftlockEvent> payloadClass() {
        return payloadClass;
    }

    public String topic() {
        return topic;
    }

    /** Current schema version written by producers; all types are at version 1. */
    public int schemaVersion() {
        return 1;
    }

    /** Classpath location of this type's JSON Schema (of the whole envelope). */
    public String schemaResource() {
        return "schemas/" + typeName + ".v" + schemaVersion() + ".json";
    }

    public static Optional<EventType> byName(String typeName) {
        return Optional.ofNullable(BY_NAME.get(typeName));
    }

    public static EventType of(DriftlockEvent event) {
        return switch (event) {
            case AnomalyDetected e -> ANOMALY_DETECTED;
            case AnomalyUpdated e -> ANOMALY_UPDATED;
            case AnomalyRetracted e -> ANOMALY_RETRACTED;
            case EventsIngested e -> EVENTS_INGESTED;
            case UsageThresholdCrossed e -> USAGE_THRESHOLD_CROSSED;
            case InvoiceThresholdReached e -> INVOICE_THRESHOLD_REACHED;
            case PeriodClosed e -> PERIOD_CLOSED;
            case QuotaStateChanged e -> QUOTA_STATE_CHANGED;
            case SubscriptionChanged e -> SUBSCRIPTION_CHANGED;
            case DunningStateChanged e -> DUNNING_STATE_CHANGED;
            case PaymentFailed e -> PAYMENT_FAILED;
            case InvoiceCreated e -> INVOICE_CREATED;
            case InvoicePaid e -> INVOICE_PAID;
            case OrgCreated e -> ORG_CREATED;
            case OrgUpdated e -> ORG_UPDATED;
        };
    }
}
