package dev.driftlock.detection.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftlock.cbad.CbadException;
import dev.driftlock.cbad.Detector;
import dev.driftlock.cbad.DetectorConfig;
import dev.driftlock.cbad.InputKind;
import dev.driftlock.cbad.Verdict;
import dev.driftlock.detection.KafkaTracing;
import dev.driftlock.detection.anomaly.AnomalyWriter;
import dev.driftlock.detection.anomaly.NewAnomaly;
import dev.driftlock.detection.problem.InvalidValuesException;
import dev.driftlock.detection.settings.SettingsRepository;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Runs a stateless detector over a request ({@link Detector#batch}) and stores the anomalies it
 * finds, with their outbox events, in one transaction. Anomaly ids derive from org, request id and
 * item index, so a retried request stores and bills nothing twice.
 */
@ApplicationScoped
class DetectService {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final AgroalDataSource dataSource;
    private final SettingsRepository settings;
    private final KafkaTracing tracing;
    private final Counter anomaliesFound;

    DetectService(AgroalDataSource dataSource, SettingsRepository settings, KafkaTracing tracing, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.tracing = tracing;
        this.anomaliesFound = Counter.builder("driftlock.detection.anomalies").tag("source", "monitor")
                .description("Anomalies stored").register(registry);
    }

    /** @param callerTraceparent the request's {@code traceparent} header, or null */
    DetectResponse detect(String orgId, DetectRequest request, String callerTraceparent) {
        String requestId = request.requestId() == null ? UUID.randomUUID().toString() : request.requestId();
        if (!ID.matcher(requestId).matches()) {
            throw new InvalidValuesException("requestId must be 1-128 characters of A-Z a-z 0-9 . _ : -");
        }
        String streamId = request.streamId() == null ? "monitor" : request.streamId();
        if (!STREAM_ID.matcher(streamId).matches()) {
            throw new InvalidValuesException("streamId must be 1-128 characters of A-Z a-z 0-9 . _ -");
        }
        InputKind kind = kind(request);
        List<String> baseline = values("baseline", request.baseline() == null ? List.of() : request.baseline(), kind);
        List<String> items = values("items", request.items(), kind);
        Instant now = Instant.now();
        try (Connection c = dataSource.getConnection()) {
            DetectorConfig config = settings.effective(c, orgId, streamId, kind);
            if (request.sensitivity() != null) {
                config = config.withSensitivity(request.sensitivity());
            }
            if (request.includeFields() != null || request.excludeFields() != null) {
                config = config.withFields(set(request.includeFields()), set(request.excludeFields()));
            }
            List<Verdict> verdicts = Detector.batch(config, baseline, items);
            List<NewAnomaly> anomalies = new ArrayList<>();
            List<DetectResponse.ItemVerdict> out = new ArrayList<>(verdicts.size());
            int calibrating = 0;
            String calibratingWhy = null;
            for (int i = 0; i < verdicts.size(); i++) {
                switch (verdicts.get(i)) {
                    case Verdict.Calibrating cal -> {
                        calibrating++;
                        calibratingWhy = cal.why();
                        out.add(new DetectResponse.ItemVerdict(i, cal.status(), 0.0, null, false, cal.why(), cal.missing(), null));
                    }
                    case Verdict.Scored scored -> {
                        UUID anomalyId = null;
                        if (scored.anomaly()) {
                            anomalyId = NewAnomaly.monitorId(orgId, requestId, i);
                            anomalies.add(new NewAnomaly(anomalyId, orgId, streamId, "monitor", requestId + "#" + i, i,
                                    items.get(i), scored, now, tracing.current(callerTraceparent)));
                        }
                        out.add(new DetectResponse.ItemVerdict(i, scored.status(), scored.score(), scored.pValue(),
                                scored.anomaly(), scored.why(), null, anomalyId));
                    }
                }
            }
            c.setAutoCommit(false);
            try {
                anomaliesFound.increment(AnomalyWriter.write(c, anomalies));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            DetectResponse.Calibration calibration = calibrating == 0
                    ? new DetectResponse.Calibration("ready", Detector.warmupEvents(config), 0, "every item was scored")
                    : new DetectResponse.Calibration("calibrating", Detector.warmupEvents(config), calibrating, calibratingWhy);
            return new DetectResponse(requestId, streamId, kind.name(), config.sensitivity(), calibration, anomalies.size(), out);
        } catch (CbadException e) {
            throw new InvalidValuesException(e.getMessage());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputKind kind(DetectRequest request) {
        if (request.kind() != null) {
            try {
                return InputKind.valueOf(request.kind().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidValuesException("kind must be one of JSON, TEXT, NUMERIC");
            }
        }
        JsonNode first = request.items().getFirst();
        if (first != null && (first.isNumber() || first.isArray())) {
            return InputKind.NUMERIC;
        }
        return first != null && first.isTextual() ? InputKind.TEXT : InputKind.JSON;
    }

    /**
     * The engine's form of each item: a text line as is, a JSON value as JSON, and (NUMERIC) a list of
     * numbers as the engine's comma-separated point {@code f0,f1,...}.
     */
    private static List<String> values(String name, List<JsonNode> nodes, InputKind kind) {
        List<String> values = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            if (node == null || node.isNull()) {
                throw new InvalidValuesException(name + "[" + i + "] must be an event (object), a text line or a number");
            }
            if (kind == InputKind.NUMERIC && node.isArray()) {
                values.add(numberList(name + "[" + i + "]", node));
            } else {
                values.add(node.isTextual() ? node.asText() : node.toString());
            }
        }
        return values;
    }

    private static String numberList(String name, JsonNode list) {
        if (list.isEmpty()) {
            throw new InvalidValuesException(name + " must be a non-empty list of numbers");
        }
        StringBuilder point = new StringBuilder();
        for (JsonNode n : list) {
            if (!n.isNumber()) {
                throw new InvalidValuesException(name + " must be a list of numbers, found " + n);
            }
            point.append(point.isEmpty() ? "" : ",").append(n.asText());
        }
        return point.toString();
    }

    private static java.util.Set<String> set(List<String> fields) {
        return fields == null ? java.util.Set.of() : new HashSet<>(fields);
    }
}
