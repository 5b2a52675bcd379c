package dev.driftlock.metering;

import dev.driftlock.events.AnomalyDetected;
import dev.driftlock.events.DunningStateChanged;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.EventsIngested;
import dev.driftlock.events.SubscriptionChanged;
import dev.driftlock.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Wire-format events the metering service consumes, as their producers write them. */
public final class TestEvents {

    private TestEvents() {
    }

    /** A deterministic event id for a named test fact. */
    public static UUID id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    public static String anomaly(UUID eventId, String org, Instant detectedAt) {
        return EventJson.write(Envelope.of(eventId, org, detectedAt,
                new AnomalyDetected("anm_" + eventId, "checkout-api", "evt-" + eventId, detectedAt, 0.99, 0.0004, "new status 503")));
    }

    /** {@code count} anomalies of the org detected at {@code detectedAt}, ids named {@code name-0 ... name-(count-1)}. */
    public static List<ProducerRecord<String, String>> anomalies(String org, String name, int count, Instant detectedAt) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new ProducerRecord<>(Topics.ANOMALIES, org, anomaly(id(name + "-" + i), org, detectedAt)));
        }
        return records;
    }

    public static String subscription(String name, String org, String plan, long included, long overagePriceMicros,
                                      Instant periodStart, Instant periodEnd, long revision) {
        return EventJson.write(Envelope.of(id(name), org, Instant.now(), new SubscriptionChanged(plan, "active", included,
                overagePriceMicros, "usd", periodStart, periodEnd, revision, "sub_" + org)));
    }

    public static String dunning(String name, String org, String state, String previous, long revision) {
        return EventJson.write(Envelope.of(id(name), org, Instant.now(),
                new DunningStateChanged(state, previous, null, "test", revision)));
    }

    public static String ingested(String name, String org, int accepted, Instant receivedAt) {
        return EventJson.write(Envelope.of(id(name), org, receivedAt, new EventsIngested("checkout-api", name, accepted, receivedAt)));
    }
}
