package dev.driftlock.detection.stream;

import dev.driftlock.detection.DetectionConfig;
import dev.driftlock.detection.settings.SettingsRepository;
import dev.driftlock.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Owns the detectors of the streams on this replica's ingest partitions (ADR 0500). One thread
 * polls {@code driftlock.ingest.v1}; rebalance callbacks run inside {@code poll} on the same thread,
 * so no detector is ever touched concurrently. Per partition and poll, {@link BatchProcessor} scores
 * the records in order and stores their effects (counts, incidents, outbox events, seen event ids,
 * due snapshots) in ONE database transaction; only then is the Kafka offset committed. Between polls
 * the same thread saves due snapshots, evicts idle streams and applies false_positive feedback to
 * the detectors ({@link FeedbackApplier}).
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
    /** How often live streams are checked for a due periodic snapshot, idleness and feedback. */
    private static final Duration STATE_CHECK = Duration.ofSeconds(1);

    private final DetectionConfig config;
    private final StreamRepository streams;
    private final SettingsRepository settings;
    private final BatchProcessor batches;
    private final FeedbackApplier feedback;
    private final String bootstrapServers;
    private final AtomicInteger activeStreams = new AtomicInteger();
    private final AtomicLong lag = new AtomicLong();

    // Loop-thread state.
    private final StreamStates states;
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

    IngestConsumer(DetectionConfig config, StreamRepository streams, SettingsRepository settings, BatchProcessor batches,
                   FeedbackApplier feedback, MeterRegistry registry,
                   @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.streams = streams;
        this.settings = settings;
        this.batches = batches;
        this.feedback = feedback;
        this.bootstrapServers = bootstrapServers;
        this.states = new StreamStates(streams, settings, activeStreams);
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
                dropAll(states.all());
            } else {
                saveAndDrop(new ArrayList<>(states.all()));
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "ingest consumer stopped unexpectedly");
            dropAll(states.all());
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
        dropAll(states.onPartition(tp.partition()));
        consumer.pause(Set.of(tp));
        pendingResets.put(tp, Instant.now().plusMillis(Math.min(5000, 100L << Math.min(failed, 6))));
    }

    private void processOnce(TopicPartition tp, List<ConsumerRecord<String, String>> records) throws SQLException {
        batches.process(tp.partition(), records, states, deadLetterFrom.getOrDefault(tp.partition(), 0L));
        long next = records.getLast().offset() + 1;
        try {
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(next)));
        } catch (KafkaException e) {
            LOG.warnf("offset commit of %s failed (a replay will change nothing): %s", tp, e.getMessage());
        }
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
        List<StreamState> leaving = states.all().stream().filter(st -> revoked.contains(st.partition)).toList();
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
        dropAll(states.all().stream().filter(st -> lost.contains(st.partition)).toList());
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
        dropAll(states.onPartition(tp.partition()));
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
        states.dropAll(leaving);
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
                dropAll(feedback.apply(states, now));
                Instant idleSince = now.minus(config.streams().idleEviction());
                List<StreamState> idle = new ArrayList<>();
                for (StreamState st : states.all()) {
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
        for (StreamState st : states.all()) {
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
        return states.live(key);
    }

    /** Applies changed sensitivity/field settings to the live detectors, from their next event. */
    private void applySettingsChanges() throws SQLException {
        try (Connection c = streams.connection()) {
            long version = settings.version(c);
            if (version == settingsVersion) {
                return;
            }
            settingsVersion = version;
            states.reconfigure(c);
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
