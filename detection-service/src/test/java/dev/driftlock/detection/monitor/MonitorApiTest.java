package dev.driftlock.detection.monitor;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.cbad.Detector;
import dev.driftlock.cbad.DetectorConfig;
import dev.driftlock.cbad.InputKind;
import dev.driftlock.cbad.Verdict;
import dev.driftlock.detection.Api;
import dev.driftlock.detection.Traffic;
import dev.driftlock.events.AnomalyDetected;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "detection"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class MonitorApiTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Test
    void aSeriesWithABaselineGetsAVerdictPerItemAndARetryStoresAndBillsNothingTwice() throws InterruptedException {
        String org = "org_monitor";
        List<String> events = Traffic.events();
        List<String> baseline = events.subList(0, 300);
        List<String> items = events.subList(300, 370);
        List<Verdict> reference = Detector.batch(DetectorConfig.defaults(InputKind.JSON), baseline, items);
        List<Integer> expectedAnomalies = IntStream.range(0, items.size()).filter(i -> reference.get(i).anomaly()).boxed().toList();
        assertEquals(List.of(0, 61), expectedAnomalies);
        String body = "{\"requestId\":\"req-1\",\"streamId\":\"checkout-batch\",\"baseline\":" + array(baseline)
                + ",\"items\":" + array(items) + "}";
        ConsumerTask<String, String> topic = kafka.consumeStrings().fromTopics(Topics.ANOMALIES);

        JsonPath first = detect(org, body);
        assertEquals("ready", first.getString("calibration.status"));
        assertEquals(2, first.getInt("anomalies"));
        assertEquals(70, first.getList("verdicts").size());
        for (int i = 0; i < items.size(); i++) {
            Verdict.Scored expected = (Verdict.Scored) reference.get(i);
            assertEquals(expected.anomaly(), first.getBoolean("verdicts[" + i + "].anomaly"));
            assertEquals(expected.score(), first.getDouble("verdicts[" + i + "].score"));
            assertEquals(expected.why(), first.getString("verdicts[" + i + "].why"));
        }
        JsonPath retry = detect(org, body);
        assertEquals(first.getList("verdicts.anomalyId"), retry.getList("verdicts.anomalyId"));

        List<Map<String, Object>> stored = Api.anomalies(org, "checkout-batch");
        assertEquals(List.of("req-1#61", "req-1#0"), stored.stream().map(a -> a.get("eventRef")).toList());
        assertEquals(List.of("monitor", "monitor"), stored.stream().map(a -> a.get("source")).toList());
        List<String> ids = stored.stream().map(a -> (String) a.get("id")).sorted().toList();
        Eventually.assertThat(() -> assertEquals(ids, published(topic, org)));
        Thread.sleep(500);
        assertEquals(ids, published(topic, org));
        topic.close();
    }

    @Test
    void tooLittleDataAnswersWithTheCalibrationStatus() {
        JsonPath answer = detect("org_monitor", "{\"items\":" + array(Traffic.events().subList(0, 5)) + "}");
        assertEquals("calibrating", answer.getString("calibration.status"));
        assertEquals(5, answer.getInt("calibration.calibratingItems"));
        assertEquals(256, answer.getInt("calibration.warmupEvents"));
        assertEquals(0, answer.getInt("anomalies"));
        assertEquals("calibrating", answer.getString("verdicts[4].status"));
        assertEquals(251, answer.getInt("verdicts[4].missing"));
    }

    @Test
    void badRequestsGetProblems() {
        String org = "org_monitor";
        post(org, "{\"items\": [").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://driftlock.dev/problems/malformed-json"));
        post(org, "{\"items\": []}").then().statusCode(422).contentType("application/problem+json")
                .body("detail", equalTo("items must contain at least one event or point"));
        post(org, "{\"kind\":\"XML\",\"items\": [\"a\"]}").then().statusCode(422).body("detail", equalTo("kind must be one of JSON, TEXT, NUMERIC"));
        post(org, "{\"sensitivity\":1.5,\"items\": [\"a\"]}").then().statusCode(422)
                .body("detail", equalTo("sensitivity must be within 0.0..1.0, got 1.5"));
        post(org, "{\"items\": [1, \"abc\"]}").then().statusCode(422).body("detail", containsString("item 1"));
        post(org, "{\"items\": [[1, \"x\"]]}").then().statusCode(422).contentType("application/problem+json")
                .body("detail", equalTo("items[0] must be a list of numbers, found \"x\""));
        String tooMany = IntStream.range(0, 10_001).mapToObj(Integer::toString).collect(Collectors.joining(",", "{\"items\":[", "]}"));
        post(org, tooMany).then().statusCode(413).contentType("application/problem+json");
    }

    @Test
    void numericPointsListsAndObjectsGetTheEnginesExactVerdicts() {
        String org = "org_monitor_numeric";
        List<String> points = new ArrayList<>();
        List<String> lists = new ArrayList<>();
        List<String> objects = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            boolean spike = i == 125;
            int cpu = i < 120 ? 100 + (i * 7) % 11 : 100 + ((i - 120) * 5) % 11;
            int mem = i < 120 ? 50 + (i * 3) % 5 : 50 + ((i - 120) * 2) % 5;
            points.add(spike ? "900" : Integer.toString(cpu));
            lists.add(spike ? "104,500" : cpu + "," + mem);
            objects.add(spike ? "{\"cpu\":104,\"mem\":500}" : "{\"cpu\":" + cpu + ",\"mem\":" + mem + "}");
        }
        // Plain numbers: the kind is inferred (NUMERIC); lists go as JSON arrays, objects of numbers need kind NUMERIC.
        Map<String, String> bodies = Map.of(
                "points", "{\"requestId\":\"num-points\",\"baseline\":" + array(points.subList(0, 120))
                        + ",\"items\":" + array(points.subList(120, 130)) + "}",
                "lists", "{\"requestId\":\"num-lists\",\"baseline\":" + arrays(lists.subList(0, 120))
                        + ",\"items\":" + arrays(lists.subList(120, 130)) + "}",
                "objects", "{\"requestId\":\"num-objects\",\"kind\":\"NUMERIC\",\"baseline\":" + array(objects.subList(0, 120))
                        + ",\"items\":" + array(objects.subList(120, 130)) + "}");
        Map<String, List<String>> series = Map.of("points", points, "lists", lists, "objects", objects);
        for (String shape : List.of("points", "lists", "objects")) {
            List<String> values = series.get(shape);
            List<Verdict> reference = Detector.batch(DetectorConfig.defaults(InputKind.NUMERIC), values.subList(0, 120),
                    values.subList(120, 130));
            assertEquals(List.of(5), IntStream.range(0, 10).filter(i -> reference.get(i).anomaly()).boxed().toList(), shape);
            JsonPath answer = detect(org, bodies.get(shape));
            assertEquals("NUMERIC", answer.getString("kind"), shape);
            assertEquals("ready", answer.getString("calibration.status"), shape);
            assertEquals(96, answer.getInt("calibration.warmupEvents"), shape);
            assertEquals(1, answer.getInt("anomalies"), shape);
            assertVerdicts(reference, answer, shape);
        }
    }

    @Test
    void textLinesGetTheEnginesExactVerdicts() {
        String org = "org_monitor_text";
        String[] users = {"ana", "bo", "cy"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 320; i++) {
            lines.add(i == 312 ? "FATAL kernel panic: unable to mount root fs on unknown-block(0,0)"
                    : "INFO request served path=/api/orders status=200 user=" + users[i % 3] + " ms="
                    + (20 + (i < 300 ? i * 7 : (i - 300) * 5) % 23));
        }
        List<Verdict> reference = Detector.batch(DetectorConfig.defaults(InputKind.TEXT), lines.subList(0, 300), lines.subList(300, 320));
        assertEquals(List.of(12), IntStream.range(0, 20).filter(i -> reference.get(i).anomaly()).boxed().toList());
        JsonPath answer = detect(org, "{\"requestId\":\"text-1\",\"streamId\":\"syslog\",\"baseline\":" + strings(lines.subList(0, 300))
                + ",\"items\":" + strings(lines.subList(300, 320)) + "}");
        assertEquals("TEXT", answer.getString("kind"));
        assertEquals(1, answer.getInt("anomalies"));
        assertVerdicts(reference, answer, "text");
        List<Map<String, Object>> stored = Api.anomalies(org, "syslog");
        assertEquals(List.of("text-1#12"), stored.stream().map(a -> a.get("eventRef")).toList());
        assertEquals(lines.get(312), stored.getFirst().get("event"));
        assertEquals(((Verdict.Scored) reference.get(12)).pValue(), ((Number) stored.getFirst().get("pValue")).doubleValue());
    }

    @Test
    void aBodyOverTheByteLimitIsTooLarge() {
        // One item, so only the byte limit (4 MiB) can reject it.
        String body = "{\"items\":[\"" + "a".repeat(4 * 1024 * 1024) + "\"]}";
        post("org_monitor", body).then().statusCode(413).contentType("application/problem+json")
                .body("status", equalTo(413))
                .body("detail", equalTo("the request has " + body.length() + " bytes; at most 4194304 are accepted"));
    }

    private static void assertVerdicts(List<Verdict> reference, JsonPath answer, String label) {
        assertEquals(reference.size(), answer.getList("verdicts").size(), label);
        for (int i = 0; i < reference.size(); i++) {
            Verdict.Scored expected = (Verdict.Scored) reference.get(i);
            assertEquals("scored", answer.getString("verdicts[" + i + "].status"), label + " " + i);
            assertEquals(expected.anomaly(), answer.getBoolean("verdicts[" + i + "].anomaly"), label + " " + i);
            assertEquals(expected.score(), answer.getDouble("verdicts[" + i + "].score"), label + " " + i);
            assertEquals(expected.pValue(), answer.getDouble("verdicts[" + i + "].pValue"), label + " " + i);
            assertEquals(expected.why(), answer.getString("verdicts[" + i + "].why"), label + " " + i);
        }
    }

    /** Comma-separated numbers as JSON arrays of numbers. */
    private static String arrays(List<String> lists) {
        return lists.stream().map(l -> "[" + l + "]").collect(Collectors.joining(",", "[", "]"));
    }

    /** Text lines as JSON strings. */
    private static String strings(List<String> lines) {
        return lines.stream().map(l -> "\"" + l.replace("\\", "\\\\").replace("\"", "\\\"") + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    private static List<String> published(ConsumerTask<String, String> topic, String org) {
        return topic.getRecords().stream().filter(r -> org.equals(r.key()))
                .map(r -> ((AnomalyDetected) EventJson.read(r.value()).data()).anomalyId()).sorted().toList();
    }

    private static io.restassured.response.Response post(String org, String body) {
        return given().auth().oauth2(Api.ingestor(org)).contentType("application/json").body(body).when().post("/v1/detect");
    }

    private static JsonPath detect(String org, String body) {
        return post(org, body).then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    private static String array(List<String> events) {
        return events.stream().collect(Collectors.joining(",", "[", "]"));
    }
}
