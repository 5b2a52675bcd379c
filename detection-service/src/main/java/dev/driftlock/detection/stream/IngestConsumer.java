package dev.driftlock.detection.stream;

import dev.driftlock.cbad.CbadException;
import dev.driftlock.cbad.Detector;
import dev.driftlock.cbad.DetectorConfig;
import dev.driftlock.cbad.InputKind;
import dev.driftlock.cbad.Verdict;
import dev.driftlock.detection.DetectionConfig;
import dev.driftlock.detection.KafkaSender;
import dev.driftlock.detection.KafkaTracing;
import dev.driftlock.detection.anomaly.AnomalyWriter;
import dev.driftlock.detection.anomaly.NewAnomaly;
import dev.driftlock.detection.outbox.Outbox;
import dev.driftlock.detection.settings.SettingsRepository;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventsIngested;
import dev.driftlock.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Owns the detectors of the streams on this replica's ingest partitions (ADR 0500). One thread
 * polls {@code driftlock.ingest.v1}; rebalance callbacks run inside {@code poll} on the same thread,
 * so no detector is ever touched concurrently. Per partition and poll: validate (malformed records
 * to the dead-letter topic), drop retried client event ids, score in order, then ONE database
 * transaction stores the counts, anomalies, outbox events, seen event ids and due snapshots; only
 * then is the Kafka offset committed.
 *
 * <p>Replay rule: a snapshot is saved with the offset it reflects. On assignment the consumer seeks
 * back to the oldest snapshot offset of the partition's streams; records at or below a stream's
 * snapshot offset are skipped, records up to its committed offset are re-scored without effects,
 * later ones are processed normally. So a restart reproduces exactly the verdicts of an
 * uninterrupted run and stores nothing twice.
 */
@ApplicationScoped
class IngestConsumer implements ConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(IngestConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** How often live streams are checked for a due periodic snapshot and for idleness. */
    private static final Duration STATE_CHECK = Duration.ofSeconds(1);
    /** Name of the span of scoring one ingest record. */
    static final String SPAN_NAME = Topics.INGEST + " process";

    private final DetectionConfig config;
    private final StreamRepository streams;
    private final SettingsRepository settings;
    private final KafkaSender sender;
    private final KafkaTracing tracing;
    private final String bootstrapServers;
    private final Counter eventsIngested;
    private final Counter anomaliesFound;
    private final Counter eventsReplayed;
    private final Timer latency;
    private final AtomicInteger activeStreams = new AtomicInteger();
    private final AtomicLong lag = new AtomicLong();

    // Loop-thread state (the stream map is concurrent only so that live() can be read from outside).
    private final Map<String, StreamState> states = new ConcurrentHashMap<>();
    private final Map<Integer, Long> deadLetterFrom = new HashMap<>();
    private final Map<TopicPartition, Integer> failures = new HashMap<>();
    private final Map<TopicPartition, Instant> pendingResets = new HashMap<>();
    private KafkaConsumer<String, String> consumer;
    private long settingsVersion;
    private Instant nextSettingsCheck = Instant.EPOCH;
    private Instant nextStateCheck = Instant.EPOCH;

    private volatile boolean running;
    private volatile boolean crashing;
    private Thread thread;

    IngestConsumer(DetectionConfig config, StreamRepository streams, SettingsRepository settings, KafkaSender sender,
                   KafkaTracing tracing, MeterRegistry registry,
                   @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.streams = streams;
        this.settings = settings;
        this.sender = sender;
        this.tracing = tracing;
        this.bootstrapServers = bootstrapServers;
        this.eventsIngested = Counter.builder("driftlock.detection.events.ingested")
                .description("Events scored for the first time (duplicates and replays excluded)").register(registry);
        this.anomaliesFound = Counter.builder("driftlock.detection.anomalies").tag("source", "stream")
                .description("Anomalies stored").register(registry);
        this.eventsReplayed = Counter.builder("driftlock.detection.events.replayed")
                .description("Records re-scored without effects to rebuild a detector after its snapshot (restart, rebalance, failure)")
                .register(registry);
        this.latency = Timer.builder("driftlock.detection.latency").description("Detector time per event")
                .publishPercentileHistogram().register(registry);
        registry.gauge("driftlock.detection.streams.active", activeStreams);
        registry.gauge("driftlock.detection.consumer.lag", lag);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.ingest().consumerEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop(false);
    }

    /** Starts consuming (joins the consumer group). */
    synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        crashing = false;
        thread = new Thread(this::run, "detection-ingest");
        thread.start();
    }

    /**
     * Stops consuming. Graceful: snapshots are saved and partitions handed over. Crash: the
     * in-memory state is dropped as if the process died (the next owner replays from snapshots).
     */
    synchronized void stop(boolean crash) {
        if (thread == null) {
            return;
        }
        crashing = crash;
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    private void run() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.ingest().groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.ingest().maxPollRecords()));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "detection-ingest");
        try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer = kafka;
            kafka.subscribe(List.of(Topics.INGEST), this);
            while (running) {
                ConsumerRecords<String, String> records;
                try {
                    records = kafka.poll(POLL);
                } catch (WakeupException e) {
                    break;
                } catch (KafkaException e) {
                    LOG.warnf("poll failed, retrying: %s", e.getMessage());
                    sleep(1000);
                    continue;
                }
                for (TopicPartition partition : records.partitions()) {
                    if (!running) {
                        break;
                    }
                    process(partition, records.records(partition));
                }
                housekeeping();
            }
            if (crashing) {
                dropAll(states.values());
            } else {
                saveAndDrop(new ArrayList<>(states.values()));
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "ingest consumer stopped unexpectedly");
            dropAll(states.values());
        } finally {
            consumer = null;
        }
    }

    // ---------------------------------------------------------------- processing

    /**
     * Processes one partition's records. On failure (database or Kafka unavailable) the partition is
     * paused and, once possible, reset to its snapshots, so nothing is lost or counted twice; a
     * record the engine cannot read is dead-lettered and never blocks the partition.
     */
    private void process(TopicPartition tp, List<ConsumerRecord<String, String>> records) {
        try {
            processOnce(tp, records);
            failures.remove(tp);
        } catch (SQLException | RuntimeException e) {
            int failed = failures.merge(tp, 1, Integer::sum);
            LOG.warnf("processing %s failed (%d in a row), re-reading it from its snapshots: %s", tp, failed, e.getMessage());
            needsReset(tp, failed);
        }
    }

    private void needsReset(TopicPartition tp, int failed) {
        dropAll(states.values().stream().filter(st -> st.partition == tp.partition()).toList());
        consumer.pause(Set.of(tp));
        pendingResets.put(tp, Instant.now().plusMillis(Math.min(5000, 100L << Math.min(failed, 6))));
    }

    private void processOnce(TopicPartition tp, List<ConsumerRecord<String, String>> records) throws SQLException {
        int partition = tp.partition();
        long deadLettersFrom = deadLetterFrom.getOrDefault(partition, 0L);
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
        List<NewAnomaly> anomalies = new ArrayList<>();
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
                StreamState st = state(c, r, now);
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
                        deadLetters.add(deadLetter(records, r, "event is not valid for this "
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
                latency.record(elapsed, java.util.concurrent.TimeUnit.NANOSECONDS);
                delta.advance(r, true);
                if (verdict instanceof Verdict.Scored scored && scored.anomaly()) {
                    String eventRef = r.eventId() != null ? r.eventId() : "#" + scored.index();
                    anomalies.add(new NewAnomaly(NewAnomaly.streamId(r.orgId(), r.streamId(), eventRef), r.orgId(),
                            r.streamId(), "stream", eventRef, scored.index(), r.body(), scored, r.timestamp(),
                            KafkaTracing.traceparentOf(span, raw(records, r).headers())));
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
            c.setAutoCommit(false);
            try {
                streams.apply(c, deltas.values());
                streams.insertRefs(c, partition, newRefs);
                AnomalyWriter.write(c, anomalies);
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
            anomaliesFound.increment(anomalies.size());
            for (StreamRepository.Snapshot s : snapshots) {
                StreamState st = states.get(s.key());
                st.snapshotOffset = s.offset();
                st.sinceSnapshot = 0;
                st.snapshotAt = now;
            }
        }
        long next = records.getLast().offset() + 1;
        try {
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(next)));
        } catch (KafkaException e) {
            LOG.warnf("offset commit of %s failed (a replay will change nothing): %s", tp, e.getMessage());
        }
    }

    /** The stream's live state: in memory, restored from its snapshot, or new. */
    private StreamState state(Connection c, IngestRecord r, Instant now) throws SQLException {
        StreamState st = states.get(r.key());
        if (st != null) {
            return st;
        }
        var stored = streams.load(c, r.key());
        if (stored.isPresent()) {
            var row = stored.get();
            InputKind kind = InputKind.valueOf(row.kind());
            Detector detector;
            long applied;
            if (row.snapshot() != null) {
                try {
                    detector = Detector.restore(row.snapshot());
                    applied = row.snapshotOffset();
                } catch (CbadException.SnapshotException e) {
                    LOG.errorf("snapshot of stream %s cannot be restored (%s); starting a new detector", r.key(), e.getMessage());
                    detector = Detector.create(settings.effective(c, r.orgId(), r.streamId(), kind));
                    applied = row.lastOffset();
                }
            } else {
                detector = Detector.create(settings.effective(c, r.orgId(), r.streamId(), kind));
                applied = row.firstOffset() - 1;
            }
            DetectorConfig wanted = settings.effective(c, r.orgId(), r.streamId(), kind);
            if (!wanted.equals(detector.config())) {
                detector.reconfigure(wanted);
            }
            st = new StreamState(r.key(), r.orgId(), r.streamId(), r.partition(), detector, applied, row.lastOffset(), now);
        } else {
            InputKind kind = settings.requestedKind(c, r.orgId(), r.streamId()).filter(k -> k != null)
                    .orElse(r.body().startsWith("{") ? InputKind.JSON : InputKind.TEXT);
            Detector detector = Detector.create(settings.effective(c, r.orgId(), r.streamId(), kind));
            st = new StreamState(r.key(), r.orgId(), r.streamId(), r.partition(), detector, r.offset() - 1, -1, now);
        }
        states.put(r.key(), st);
        activeStreams.set(states.size());
        return st;
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

    private static ProducerRecord<String, String> deadLetter(List<ConsumerRecord<String, String>> records, IngestRecord r,
                                                             String reason) {
        return deadLetter(raw(records, r), reason);
    }

    // ---------------------------------------------------------------- rebalancing

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> {
            pendingResets.remove(tp);
            failures.remove(tp);
        });
        Set<Integer> revoked = new HashSet<>();
        partitions.forEach(tp -> revoked.add(tp.partition()));
        List<StreamState> leaving = states.values().stream().filter(st -> revoked.contains(st.partition)).toList();
        if (crashing) {
            dropAll(leaving);
        } else {
            saveAndDrop(leaving);
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> {
            pendingResets.remove(tp);
            failures.remove(tp);
        });
        Set<Integer> lost = new HashSet<>();
        partitions.forEach(tp -> lost.add(tp.partition()));
        dropAll(states.values().stream().filter(st -> lost.contains(st.partition)).toList());
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            try {
                resetPartition(tp);
            } catch (RuntimeException e) {
                LOG.warnf("cannot position %s yet: %s", tp, e.getMessage());
                needsReset(tp, 1);
            }
        }
    }

    /**
     * Forgets the partition's detectors and seeks to where they can be rebuilt: the oldest snapshot
     * offset of its streams, or the committed offset if that is older.
     */
    private void resetPartition(TopicPartition tp) {
        dropAll(states.values().stream().filter(st -> st.partition == tp.partition()).toList());
        OffsetAndMetadata committed = consumer.committed(Set.of(tp)).get(tp);
        long committedOffset = committed != null ? committed.offset()
                : consumer.beginningOffsets(Set.of(tp)).getOrDefault(tp, 0L);
        long target = committedOffset;
        try (Connection c = streams.connection()) {
            long replayFrom = streams.replayFrom(c, tp.partition());
            if (replayFrom >= 0 && replayFrom < target) {
                target = replayFrom;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the replay position of " + tp, e);
        }
        deadLetterFrom.put(tp.partition(), committedOffset);
        consumer.seek(tp, target);
        LOG.debugf("assigned %s: committed %d, replaying from %d", tp, committedOffset, target);
    }

    private void saveAndDrop(List<StreamState> leaving) {
        List<StreamRepository.Snapshot> snapshots = new ArrayList<>();
        for (StreamState st : leaving) {
            if (st.snapshotStale() && st.appliedOffset <= st.committedOffset) {
                snapshots.add(new StreamRepository.Snapshot(st.key, st.partition, st.appliedOffset, st.detector.snapshot()));
            }
        }
        try {
            streams.saveSnapshots(snapshots);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("could not save %d snapshots (the next owner replays further): %s", snapshots.size(), e.getMessage());
        }
        dropAll(leaving);
    }

    private void dropAll(Collection<StreamState> leaving) {
        for (StreamState st : List.copyOf(leaving)) {
            states.remove(st.key);
            st.close();
        }
        activeStreams.set(states.size());
    }

    // ---------------------------------------------------------------- housekeeping

    private void housekeeping() {
        Instant now = Instant.now();
        for (Iterator<Map.Entry<TopicPartition, Instant>> it = pendingResets.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TopicPartition, Instant> pending = it.next();
            if (now.isBefore(pending.getValue())) {
                continue;
            }
            try {
                resetPartition(pending.getKey());
                consumer.resume(Set.of(pending.getKey()));
                it.remove();
            } catch (RuntimeException e) {
                int failed = failures.merge(pending.getKey(), 1, Integer::sum);
                pending.setValue(now.plusMillis(Math.min(5000, 100L << Math.min(failed, 6))));
                LOG.warnf("cannot reset %s yet: %s", pending.getKey(), e.getMessage());
            }
        }
        try {
            if (!now.isBefore(nextSettingsCheck)) {
                nextSettingsCheck = now.plus(config.streams().settingsRefresh());
                applySettingsChanges();
            }
            if (!now.isBefore(nextStateCheck)) {
                nextStateCheck = now.plus(STATE_CHECK);
                snapshotDue(now);
                Instant idleSince = now.minus(config.streams().idleEviction());
                List<StreamState> idle = new ArrayList<>();
                for (StreamState st : states.values()) {
                    if (st.lastUsed.isBefore(idleSince)) {
                        idle.add(st);
                    }
                }
                if (!idle.isEmpty()) {
                    saveAndDrop(idle);
                }
            }
            long total = 0;
            for (TopicPartition tp : consumer.assignment()) {
                total += consumer.currentLag(tp).orElse(0);
            }
            lag.set(total);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("housekeeping failed: %s", e.getMessage());
        }
    }

    /**
     * Saves the snapshot of every live stream that scored events since a snapshot older than
     * {@code snapshot-every}, so a stream that goes quiet after a burst is not left unsaved until its
     * eviction. Only committed state is saved (a snapshot never runs ahead of the stream's effects).
     */
    private void snapshotDue(Instant now) throws SQLException {
        List<StreamRepository.Snapshot> due = new ArrayList<>();
        List<StreamState> saved = new ArrayList<>();
        for (StreamState st : states.values()) {
            if (st.snapshotStale() && st.appliedOffset <= st.committedOffset
                    && !st.snapshotAt.plus(config.streams().snapshotEvery()).isAfter(now)) {
                due.add(new StreamRepository.Snapshot(st.key, st.partition, st.appliedOffset, st.detector.snapshot()));
                saved.add(st);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        streams.saveSnapshots(due);
        for (StreamState st : saved) {
            st.snapshotOffset = st.appliedOffset;
            st.sinceSnapshot = 0;
            st.snapshotAt = now;
        }
    }

    /** Whether the stream ({@code orgId/streamId}) has a live detector on this replica (tests, diagnostics). */
    boolean live(String key) {
        return states.containsKey(key);
    }

    /** Applies changed sensitivity/field settings to the live detectors, from their next event. */
    private void applySettingsChanges() throws SQLException {
        try (Connection c = streams.connection()) {
            long version = settings.version(c);
            if (version == settingsVersion) {
                return;
            }
            settingsVersion = version;
            for (StreamState st : states.values()) {
                DetectorConfig wanted = settings.effective(c, st.orgId, st.streamId, st.detector.config().kind());
                if (!wanted.equals(st.detector.config())) {
                    st.detector.reconfigure(wanted);
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
