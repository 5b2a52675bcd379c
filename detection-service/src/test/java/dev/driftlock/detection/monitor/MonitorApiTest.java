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
        String tooMany = IntStream.range(0, 10_001).mapToObj(Integer::toString).collect(Collectors.joining(",", "{\"items\":[", "]}"));
        post(org, tooMany).then().statusCode(413).contentType("application/problem+json");
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
