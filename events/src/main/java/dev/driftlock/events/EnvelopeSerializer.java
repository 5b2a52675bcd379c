package dev.driftlock.events;

import org.apache.kafka.common.serialization.Serializer;

/** Kafka value serializer for {@link Envelope}s (UTF-8 JSON through {@link EventJson}). */
public final class EnvelopeSerializer implements Serializer<Envelope<?>> {

    @Override
    public byte[] serialize(String topic, Envelope<?> envelope) {
        return envelope == null ? null : EventJson.writeBytes(envelope);
    }
}
