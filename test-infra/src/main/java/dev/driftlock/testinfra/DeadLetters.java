package dev.driftlock.testinfra;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Reads the {@code dead-letter-*} headers that SmallRye's dead-letter strategy adds. */
public final class DeadLetters {

    private DeadLetters() {
    }

    /** The reason a record was dead-lettered ({@code dead-letter-reason}), or null. */
    public static String reason(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader("dead-letter-reason");
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
