package dev.driftlock.cbad.bench;

import dev.driftlock.cbad.Detector;
import dev.driftlock.cbad.DetectorConfig;
import dev.driftlock.cbad.InputKind;
import dev.driftlock.cbad.Verdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-event scoring throughput at default settings (sensitivity 0.5, baseline 1,000 events): one
 * detector, warmed past calibration, fed ~200-byte JSON events with volatile ids in stream order.
 * Includes everything a caller pays: JSON parsing, canonical form, masking, zstd scoring,
 * calibration, baseline updates, dictionary rebuilds and the window test every 128 events.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx512m"})
public class EventScoringBenchmark {

    private List<String> events;
    private Detector detector;
    private int next;

    /** Builds the stream and warms the detector. */
    @Setup(Level.Trial)
    public void setUp() {
        events = BenchEvents.json(100_000, 42);
        detector = Detector.create(DetectorConfig.defaults(InputKind.JSON));
        for (int i = 0; i < 3000; i++) {
            detector.score(events.get(i));
        }
        next = 3000;
    }

    /** @return the verdict (consumed by JMH) */
    @Benchmark
    public Verdict scoreJsonEvent() {
        Verdict v = detector.score(events.get(next));
        next = next + 1 == events.size() ? 0 : next + 1;
        return v;
    }

    /** Frees native memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        detector.close();
    }
}
