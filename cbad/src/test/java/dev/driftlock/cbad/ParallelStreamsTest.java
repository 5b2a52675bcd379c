package dev.driftlock.cbad;

import dev.driftlock.cbad.quality.Streams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Detectors share no mutable state: streams scored in parallel give the sequential verdicts. */
class ParallelStreamsTest {

    private static List<Verdict> score(List<String> events) {
        List<Verdict> out = new ArrayList<>(events.size());
        try (Detector d = Detector.create(DetectorConfig.defaults(InputKind.JSON))) {
            for (String e : events) {
                out.add(d.score(e));
            }
        }
        return out;
    }

    @Test
    void fourStreamsInParallelMatchTheirSequentialRuns() throws Exception {
        List<List<String>> streams = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            streams.add(Streams.apiLogs(600 + s, 1500, List.of("error_burst")).events());
        }
        List<List<Verdict>> sequential = new ArrayList<>();
        for (List<String> s : streams) {
            sequential.add(score(s));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Verdict>>> futures = new ArrayList<>();
            for (List<String> s : streams) {
                futures.add(pool.submit(() -> score(s)));
            }
            for (int i = 0; i < streams.size(); i++) {
                assertEquals(sequential.get(i), futures.get(i).get());
            }
        } finally {
            pool.shutdown();
        }
    }
}
