package dev.driftlock.cbad.bench;

import dev.driftlock.cbad.DriftReport;
import dev.driftlock.cbad.canonical.Canonicalizer;
import dev.driftlock.cbad.canonical.CanonicalEvent;
import dev.driftlock.cbad.canonical.FieldFilter;
import dev.driftlock.cbad.InputKind;
import dev.driftlock.cbad.score.CompressionModel;
import dev.driftlock.cbad.window.WindowTest;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one window drift test at default settings: a 128-event window against an equal-size
 * sample of a 1,000-event baseline, NCD + conditional ratio + p-value. "fresh" re-draws and
 * compresses the reference sample (what happens after a dictionary rebuild), "cached" reuses it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx512m"})
public class WindowTestBenchmark {

    private CompressionModel model;
    private WindowTest window;
    private long index;

    /** Fills a baseline and a window. */
    @Setup(Level.Trial)
    public void setUp() {
        List<String> events = BenchEvents.json(3000, 7);
        FieldFilter all = new FieldFilter(Set.of(), Set.of());
        Canonicalizer c = new Canonicalizer(InputKind.JSON, all);
        model = new CompressionModel(1000, all, true);
        window = new WindowTest();
        for (int i = 0; i < 1000; i++) {
            CanonicalEvent e = c.canonicalize(events.get(i));
            model.accept(e.full(), e.analysed());
        }
        model.rebuild();
        for (int i = 1000; i < 1000 + WindowTest.WINDOW; i++) {
            window.push(c.canonicalize(events.get(i)).analysed());
        }
        // a history of past windows so the p-value is computed
        for (int k = 0; k < 20; k++) {
            window.test(k, model, 1e-3);
        }
    }

    /** @return the report */
    @Benchmark
    public DriftReport windowTestCachedReference() {
        return window.test(index++, model, 1e-3);
    }

    /** @return the report */
    @Benchmark
    public DriftReport windowTestFreshReference() {
        window.invalidateReference();
        return window.test(index++, model, 1e-3);
    }

    /** Frees native memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
        window.close();
    }
}
