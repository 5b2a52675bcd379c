package dev.driftlock.detection;

import dev.driftlock.cbad.Detector;
import dev.driftlock.cbad.DetectorConfig;
import dev.driftlock.cbad.InputKind;
import dev.driftlock.cbad.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * A small, deterministic API-log stream: ordinary requests with two injected incidents, and the
 * anomalies an uninterrupted engine run finds in it (the reference every test compares with).
 */
public final class Traffic {

    public static final int EVENTS = 400;
    public static final int INCIDENT_1 = 300;
    public static final int INCIDENT_2 = 361;

    private Traffic() {
    }

    public static List<String> events() {
        List<String> events = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            events.add(event(i));
        }
        return events;
    }

    public static String event(int i) {
        if (i == INCIDENT_1) {
            return """
                    {"method":"DELETE","path":"/admin/export","status":500,"ms":9000,"error":"java.lang.OutOfMemoryError: heap space"}""";
        }
        if (i == INCIDENT_2) {
            return """
                    {"method":"PATCH","path":"/internal/debug/flags","status":403,"ms":1,"user":"root","note":"unexpected caller"}""";
        }
        String[] methods = {"GET", "GET", "GET", "POST"};
        String[] paths = {"/api/orders", "/api/cart", "/api/products", "/api/checkout"};
        return "{\"method\":\"" + methods[i % 4] + "\",\"path\":\"" + paths[(i / 3) % 4] + "\",\"status\":200,\"ms\":"
                + (20 + (i * 7) % 23) + "}";
    }

    /** One reference anomaly: position, exact score and p-value, and the baseline/calibration sizes it was judged against. */
    public record Expected(long position, double score, double pValue, int baselineEvents, int calibrationSize) {
    }

    /**
     * One reference incident (a streamed anomaly): first and last position, flagged events, and the
     * exact score, p-value and baseline/calibration sizes of its strongest event (highest score, the
     * earliest on a tie).
     */
    public record ExpectedIncident(long position, long lastPosition, long events, double score, double pValue,
                                   int baselineEvents, int calibrationSize) {
    }

    /** The incidents of one uninterrupted run over {@code events} with the default config, by first position. */
    public static List<ExpectedIncident> incidents(List<String> events) {
        java.util.Map<Long, ExpectedIncident> byId = new java.util.TreeMap<>();
        try (Detector detector = Detector.create(DetectorConfig.defaults(InputKind.JSON))) {
            for (String event : events) {
                if (detector.score(event) instanceof Verdict.Scored s && s.incident() != null) {
                    ExpectedIncident before = byId.get(s.incident().id());
                    boolean stronger = before == null || s.score() > before.score();
                    byId.put(s.incident().id(), new ExpectedIncident(s.incident().firstSeen(), s.incident().lastSeen(),
                            s.incident().events(), stronger ? s.score() : before.score(), stronger ? s.pValue() : before.pValue(),
                            stronger ? s.evidence().baselineEvents() : before.baselineEvents(),
                            stronger ? s.evidence().calibrationSize() : before.calibrationSize()));
                }
            }
        }
        return new ArrayList<>(byId.values());
    }

    /** The flagged events (Monitor API anomalies) of one uninterrupted run over {@code events} with the default config. */
    public static List<Expected> reference(List<String> events) {
        List<Expected> anomalies = new ArrayList<>();
        try (Detector detector = Detector.create(DetectorConfig.defaults(InputKind.JSON))) {
            for (String event : events) {
                if (detector.score(event) instanceof Verdict.Scored s && s.anomaly()) {
                    anomalies.add(new Expected(s.index(), s.score(), s.pValue(), s.evidence().baselineEvents(),
                            s.evidence().calibrationSize()));
                }
            }
        }
        return anomalies;
    }
}
