package dev.driftlock.detection;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's one idempotent Kafka producer (acks=all), shared by HTTP ingestion, the outbox
 * relay and the dead-letter writer. {@link #sendAll} sends in order and waits for every ack.
 */
@ApplicationScoped
public class KafkaSender {

    private final KafkaProducer<String, String> producer;

    KafkaSender(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "detection-service");
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /**
     * Sends the records in order and waits until all are acknowledged.
     *
     * @throws IllegalStateException if one is not acknowledged in time (none may be considered sent)
     */
    public List<RecordMetadata> sendAll(List<ProducerRecord<String, String>> records) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (ProducerRecord<String, String> record : records) {
            acks.add(producer.send(record));
        }
        List<RecordMetadata> sent = new ArrayList<>(records.size());
        long deadline = System.nanoTime() + Duration.ofSeconds(35).toNanos();
        try {
            for (Future<RecordMetadata> ack : acks) {
                sent.add(ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka acks", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge a record: " + e.getMessage(), e);
        }
        return sent;
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
