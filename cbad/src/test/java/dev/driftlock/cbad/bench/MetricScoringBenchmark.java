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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** Per-point scoring throughput of a one-field seasonal metric stream at default settings. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx512m"})
public class MetricScoringBenchmark {

    private Detector detector;
    private double[] values;
    private int next;

    /** Warms a detector. */
    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom r = new SplittableRandom(3);
        values = new double[65_536];
        for (int i = 0; i < values.length; i++) {
            values[i] = 50 + 10 * Math.sin(2 * Math.PI * i / 48.0) + 2 * (r.nextDouble() - 0.5);
        }
        detector = Detector.create(DetectorConfig.defaults(InputKind.NUMERIC));
        for (int i = 0; i < 2000; i++) {
            detector.score(Map.of("cpu", values[i]));
        }
        next = 2000;
    }

    /** @return the verdict */
    @Benchmark
    public Verdict scoreMetricPoint() {
        Map<String, Double> point = new LinkedHashMap<>(2);
        point.put("cpu", values[next]);
        next = (next + 1) & (values.length - 1);
        return detector.score(point);
    }

    /** Frees native memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        detector.close();
    }
}
