package dev.driftlock.detection.stream;

import dev.driftlock.cbad.CbadException;
import dev.driftlock.cbad.Verdict;
import dev.driftlock.detection.DetectionConfig;
import dev.driftlock.detection.KafkaSender;
import dev.driftlock.detection.KafkaTracing;
import dev.driftlock.detection.anomaly.IncidentWriter;
import dev.driftlock.detection.outbox.Outbox;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventsIngested;
import dev.driftlock.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Scores one partition's polled records on the stream owner's thread (ADR 0500) and stores their
 * effects in ONE database transaction: stream counts, incidents as anomaly rows with their outbox
 * events ({@link IncidentWriter}), {@code ingestion.counted}, seen event ids and due snapshots.
 * Validates first (malformed records to the dead-letter topic) and drops retried client event ids.
 * Records at or below a stream's applied offset are skipped, records up to its committed offset are
 * re-scored without effects (replay, ADR 0501). The caller commits the Kafka offset afterwards.
 */
@ApplicationScoped
class BatchProcessor {

    /** Name of the span of scoring one ingest record. */
    static final String SPAN_NAME = Topics.INGEST + " process";

    private final DetectionConfig config;
    private final StreamRepository streams;
    private final KafkaSender sender;
    private final KafkaTracing tracing;
    private final Counter eventsIngested;
    private final Counter anomaliesFound;
    private final Counter eventsReplayed;
    private final Timer latency;

    BatchProcessor(DetectionConfig config, StreamRepository streams, KafkaSender sender, KafkaTracing tracing,
                   MeterRegistry registry) {
        this.config = config;
        this.streams = streams;
        this.sender = sender;
        this.tracing = tracing;
        this.eventsIngested = Counter.builder("driftlock.detection.events.ingested")
                .description("Events scored for the first time (duplicates and replays excluded)").register(registry);
        this.anomaliesFound = Counter.builder("driftlock.detection.anomalies").tag("source", "stream")
                .description("Anomalies stored").register(registry);
        this.eventsReplayed = Counter.builder("driftlock.detection.events.replayed")
                .description("Records re-scored without effects to rebuild a detector after its snapshot (restart, rebalance, failure)")
                .register(registry);
        this.latency = Timer.builder("driftlock.detection.latency").description("Detector time per event")
                .publishPercentileHistogram().register(registry);
    }

    /**
     * @param deadLettersFrom the first offset of the partition that may be dead-lettered (earlier ones
     *                        were dead-lettered by the previous owner)
     */
    void process(int partition, List<ConsumerRecord<String, String>> records, StreamStates states, long deadLettersFrom)
            throws SQLException {
        List<ProducerRecord<String, String>> deadLetters = new ArrayList<>();
        List<IngestRecord> valid = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            try {
                valid.add(IngestRecord.of(record));
            } catch (MalformedIngestRecordException e) {
                if (record.offset() >= deadLettersFrom) {
                    deadLetters.add(deadLetter(record, e.getMessage()));
                }
            }
        }
        Map<String, StreamRepository.Delta> deltas = new LinkedHashMap<>();
        Map<String, Long> newRefs = new LinkedHashMap<>();
        IncidentCollector incidents = new IncidentCollector();
        Set<StreamState> touched = new HashSet<>();
        Instant now = Instant.now();
        try (Connection c = streams.connection()) {
            Set<String> refKeys = new HashSet<>();
            for (IngestRecord r : valid) {
                if (r.refKey() != null) {
                    refKeys.add(r.refKey());
                }
            }
            Map<String, Long> known = streams.refs(c, refKeys);
            Set<String> seenInBatch = new HashSet<>();
            for (IngestRecord r : valid) {
                StreamState st = states.load(c, r, now);
                if (r.offset() <= st.appliedOffset) {
                    continue; // already in the restored detector
                }
                touched.add(st);
                st.lastUsed = now;
                boolean fresh = r.offset() > st.committedOffset;
                StreamRepository.Delta delta = fresh ? deltas.computeIfAbsent(st.key, k -> new StreamRepository.Delta(
                        st.key, st.orgId, st.streamId, st.detector.config().kind().name(), partition)) : null;
                String ref = r.refKey();
                if (ref != null) {
                    Long firstSeenAt = known.get(ref);
                    if (seenInBatch.contains(ref) || (firstSeenAt != null && firstSeenAt != r.offset())) {
                        st.appliedOffset = r.offset(); // a retried event id: ignored
                        if (delta != null) {
                            delta.advance(r, false);
                        }
                        continue;
                    }
                    seenInBatch.add(ref);
                    if (firstSeenAt == null && fresh) {
                        newRefs.put(ref, r.offset());
                    }
                }
                Verdict verdict;
                long elapsed;
                Span span = fresh && tracing.enabled() ? span(records, r) : Span.getInvalid();
                try {
                    long started = System.nanoTime();
                    verdict = st.detector.score(r.body());
                    elapsed = System.nanoTime() - started;
                    if (span.isRecording()) {
                        span.setAttribute("driftlock.anomaly", verdict.anomaly());
                    }
                } catch (CbadException.InvalidInputException e) {
                    span.setStatus(StatusCode.ERROR, e.getMessage());
                    st.appliedOffset = r.offset();
                    if (delta != null) {
                        delta.advance(r, false);
                        deadLetters.add(deadLetter(raw(records, r), "event is not valid for this "
                                + st.detector.config().kind() + " stream: " + e.getMessage()));
                    }
                    continue;
                } finally {
                    span.end();
                }
                st.appliedOffset = r.offset();
                st.sinceSnapshot++;
                if (delta == null) {
                    eventsReplayed.increment();
                    continue; // replay of an already committed record: state only
                }
                latency.record(elapsed, TimeUnit.NANOSECONDS);
                delta.advance(r, true);
                if (verdict instanceof Verdict.Scored scored && scored.anomaly()
                        && incidents.add(r, scored, KafkaTracing.traceparentOf(span, raw(records, r).headers()))) {
                    delta.anomalies++;
                }
            }
            List<StreamRepository.Snapshot> snapshots = new ArrayList<>();
            for (StreamState st : touched) {
                if (st.sinceSnapshot > 0 && (st.sinceSnapshot >= config.streams().snapshotEveryEvents()
                        || !st.snapshotAt.plus(config.streams().snapshotEvery()).isAfter(now))) {
                    snapshots.add(new StreamRepository.Snapshot(st.key, partition, st.appliedOffset, st.detector.snapshot()));
                }
            }
            List<Outbox.Pending> ingested = new ArrayList<>();
            for (StreamRepository.Delta d : deltas.values()) {
                if (d.events > 0) {
                    String batchId = partition + ":" + d.firstOffset + "-" + d.lastOffset;
                    UUID eventId = UUID.nameUUIDFromBytes(("ingested|" + d.key + "|" + batchId).getBytes(StandardCharsets.UTF_8));
                    ingested.add(new Outbox.Pending(Topics.INGESTION, Envelope.of(eventId, d.orgId, d.lastEventAt,
                            new EventsIngested(d.streamId, batchId, d.events, d.lastEventAt))));
                }
            }
            if (!deadLetters.isEmpty()) {
                sender.sendAll(deadLetters);
            }
            IncidentWriter.Written written;
            c.setAutoCommit(false);
            try {
                streams.apply(c, deltas.values());
                streams.insertRefs(c, partition, newRefs);
                written = IncidentWriter.write(c, incidents.updates());
                Outbox.write(c, ingested);
                streams.saveSnapshots(c, snapshots);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            for (StreamRepository.Delta d : deltas.values()) {
                StreamState st = states.get(d.key);
                if (st != null) {
                    st.committedOffset = d.lastOffset;
                }
                eventsIngested.increment(d.events);
            }
            anomaliesFound.increment(written.opened());
            for (StreamRepository.Snapshot s : snapshots) {
                StreamState st = states.get(s.key());
                st.snapshotOffset = s.offset();
                st.sinceSnapshot = 0;
                st.snapshotAt = now;
            }
        }
    }

    /**
     * The consumer span of scoring one event (SDK on only), continuing the producer's trace (HTTP
     * ingest or a customer's producer) if its record carries a {@code traceparent}.
     */
    private Span span(List<ConsumerRecord<String, String>> records, IngestRecord r) {
        Span span = tracing.startConsumerSpan(SPAN_NAME, raw(records, r).headers());
        span.setAttribute("messaging.destination.name", Topics.INGEST);
        span.setAttribute("messaging.destination.partition.id", Integer.toString(r.partition()));
        span.setAttribute("messaging.kafka.offset", r.offset());
        span.setAttribute("driftlock.org", r.orgId());
        span.setAttribute("driftlock.stream", r.streamId());
        return span;
    }

    private static ConsumerRecord<String, String> raw(List<ConsumerRecord<String, String>> records, IngestRecord r) {
        int index = (int) (r.offset() - records.getFirst().offset());
        if (index >= 0 && index < records.size() && records.get(index).offset() == r.offset()) {
            return records.get(index);
        }
        for (ConsumerRecord<String, String> record : records) {
            if (record.offset() == r.offset()) {
                return record;
            }
        }
        throw new IllegalStateException("record " + r.offset() + " not in its batch");
    }

    private static ProducerRecord<String, String> deadLetter(ConsumerRecord<String, String> record, String reason) {
        ProducerRecord<String, String> dead = new ProducerRecord<>(Topics.DETECTION_DLQ, null, record.key(), record.value(),
                record.headers());
        dead.headers().add("dead-letter-reason", reason.getBytes(StandardCharsets.UTF_8));
        dead.headers().add("dead-letter-topic", record.topic().getBytes(StandardCharsets.UTF_8));
        dead.headers().add("dead-letter-partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        dead.headers().add("dead-letter-offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        return dead;
    }
}
