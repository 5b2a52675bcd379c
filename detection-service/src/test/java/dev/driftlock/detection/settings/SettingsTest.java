package dev.driftlock.detection.settings;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.cbad.Detector;
import dev.driftlock.cbad.DetectorConfig;
import dev.driftlock.cbad.InputKind;
import dev.driftlock.cbad.Sensitivity;
import dev.driftlock.cbad.Verdict;
import dev.driftlock.detection.Api;
import dev.driftlock.detection.Traffic;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "detection"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class SettingsTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Test
    void orgSensitivityDefaultsToTheEngineDefaultAndIsValidated() {
        String org = "org_slider";
        given().auth().oauth2(Api.reader(org)).when().get("/v1/settings/detection").then().statusCode(200)
                .body("sensitivity", equalTo(0.5f));
        given().auth().oauth2(Api.admin(org)).contentType("application/json").body("{\"sensitivity\":0.8}")
                .when().put("/v1/settings/detection").then().statusCode(200).body("sensitivity", equalTo(0.8f));
        given().auth().oauth2(Api.reader(org)).when().get("/v1/settings/detection").then().body("sensitivity", equalTo(0.8f));
        given().auth().oauth2(Api.admin(org)).contentType("application/json").body("{\"sensitivity\":1.5}")
                .when().put("/v1/settings/detection").then().statusCode(422).contentType("application/problem+json")
                .body("detail", equalTo("sensitivity must be within 0.0..1.0, got 1.5"));
        given().auth().oauth2(Api.admin(org)).contentType("application/json").body("{}")
                .when().put("/v1/settings/detection").then().statusCode(422);
        given().auth().oauth2(Api.admin(org)).contentType("application/json").body("{\"sensitivity\":")
                .when().put("/v1/settings/detection").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://driftlock.dev/problems/malformed-json"));
        given().auth().oauth2(Api.reader(org)).contentType("application/json").body("{\"sensitivity\":0.1}")
                .when().put("/v1/settings/detection").then().statusCode(403);
        // Another org is unaffected.
        given().auth().oauth2(Api.reader("org_other_slider")).when().get("/v1/settings/detection").then().body("sensitivity", equalTo(0.5f));
    }

    @Test
    void streamOverridesAreValidatedAndInheritTheOrgSensitivity() {
        String org = "org_streams";
        given().auth().oauth2(Api.reader(org)).when().get("/v1/streams/unknown").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(Api.admin(org)).contentType("application/json")
                .body("{\"excludeFields\":[\"ms\"],\"kind\":\"json\"}")
                .when().put("/v1/streams/api-logs").then().statusCode(200)
                .body("streamId", equalTo("api-logs")).body("eventsSeen", equalTo(0)).body("kind", equalTo("JSON"))
                .body("settings.excludeFields", equalTo(List.of("ms"))).body("effectiveSensitivity", equalTo(0.5f));
        given().auth().oauth2(Api.reader(org)).when().get("/v1/streams/api-logs").then().statusCode(200)
                .body("settings.excludeFields", equalTo(List.of("ms")));
        given().auth().oauth2(Api.reader("org_someone_else")).when().get("/v1/streams/api-logs").then().statusCode(404);
        given().auth().oauth2(Api.admin(org)).contentType("application/json").body("{\"sensitivity\":-0.1}")
                .when().put("/v1/streams/api-logs").then().statusCode(422);
        given().auth().oauth2(Api.admin(org)).contentType("application/json").body("{\"kind\":\"XML\"}")
                .when().put("/v1/streams/api-logs").then().statusCode(422).body("detail", equalTo("kind must be one of JSON, TEXT, NUMERIC"));
        given().auth().oauth2(Api.admin(org)).contentType("application/json").body("{\"includeFields\":[\" \"]}")
                .when().put("/v1/streams/api-logs").then().statusCode(422);
        given().auth().oauth2(Api.admin(org)).contentType("application/json").body("{}")
                .when().put("/v1/streams/bad id!").then().statusCode(422);
    }

    @Test
    void aSensitivityChangeAppliesToTheNextEventsWithoutLosingState() throws Exception {
        String org = "org_tuning";
        List<String> events = Traffic.events();
        List<ProducerRecord<String, String>> first = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            first.add(Api.ingest(org, "tuned", "t-" + i, events.get(i)));
        }
        kafka.produceStrings().fromRecords(first).awaitCompletion();
        Eventually.assertThat(Duration.ofSeconds(60), () -> given().auth().oauth2(Api.reader(org)).when().get("/v1/streams/tuned")
                .then().statusCode(200).body("eventsSeen", equalTo(300)));
        given().auth().oauth2(Api.admin(org)).contentType("application/json").body("{\"sensitivity\":0.0}")
                .when().put("/v1/streams/tuned").then().statusCode(200).body("effectiveSensitivity", equalTo(0.0f));
        Thread.sleep(2500); // the consumer looks for changed settings every second
        List<ProducerRecord<String, String>> rest = new ArrayList<>();
        for (int i = 300; i < events.size(); i++) {
            rest.add(Api.ingest(org, "tuned", "t-" + i, events.get(i)));
        }
        kafka.produceStrings().fromRecords(rest).awaitCompletion();
        Eventually.assertThat(Duration.ofSeconds(60), () -> given().auth().oauth2(Api.reader(org)).when().get("/v1/streams/tuned")
                .then().statusCode(200).body("eventsSeen", equalTo(400)));

        List<Long> flagged = new ArrayList<>();
        Map<Long, Long> expected = new java.util.TreeMap<>(); // incident: first -> last position
        try (Detector reference = Detector.create(DetectorConfig.defaults(InputKind.JSON))) {
            for (int i = 0; i < events.size(); i++) {
                if (i == 300) {
                    reference.reconfigure(reference.config().withSensitivity(0.0));
                }
                if (reference.score(events.get(i)) instanceof Verdict.Scored s && s.anomaly()) {
                    flagged.add(s.index());
                    expected.put(s.incident().firstSeen(), s.incident().lastSeen());
                }
            }
        }
        assertEquals(List.of(300L, 361L), flagged);
        List<Map<String, Object>> found = Api.anomalies(org, "tuned");
        Map<Long, Long> incidents = new java.util.TreeMap<>();
        found.forEach(a -> incidents.put(((Number) a.get("position")).longValue(), ((Number) a.get("lastPosition")).longValue()));
        assertEquals(expected, incidents);
        for (Map<String, Object> anomaly : found) {
            assertEquals(Sensitivity.alpha(0.0), ((Number) anomaly.get("alpha")).doubleValue());
        }
    }

    @Test
    void aFieldsChangeAppliesToTheNextEventsWithoutLosingState() throws Exception {
        String org = "org_fields";
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 460; i++) {
            events.add(Traffic.event(i));
        }
        // Ordinary traffic (Traffic's incidents replaced), except 440: an ordinary request with a new "trace"
        // field only, and 450: an incident in the analysed fields.
        events.set(Traffic.INCIDENT_1, Traffic.event(Traffic.INCIDENT_1 + 4));
        events.set(Traffic.INCIDENT_2, Traffic.event(Traffic.INCIDENT_2 + 4));
        String ordinary = Traffic.event(440);
        events.set(440, ordinary.substring(0, ordinary.length() - 1)
                + ",\"trace\":\"java.lang.IllegalStateException: pool exhausted at com.acme.Pool.borrow(Pool.java:88)\"}");
        events.set(450, """
                {"method":"DELETE","path":"/admin/export","status":500,"ms":9000}""");
        List<ProducerRecord<String, String>> first = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            first.add(Api.ingest(org, "fielded", "f-" + i, events.get(i)));
        }
        kafka.produceStrings().fromRecords(first).awaitCompletion();
        Eventually.assertThat(Duration.ofSeconds(60), () -> Api.assertEventsSeen(org, "fielded", 300));
        given().auth().oauth2(Api.admin(org)).contentType("application/json").body("{\"excludeFields\":[\"trace\"]}")
                .when().put("/v1/streams/fielded").then().statusCode(200).body("settings.excludeFields", equalTo(List.of("trace")));
        Thread.sleep(2500); // the consumer looks for changed settings every second
        List<ProducerRecord<String, String>> rest = new ArrayList<>();
        for (int i = 300; i < events.size(); i++) {
            rest.add(Api.ingest(org, "fielded", "f-" + i, events.get(i)));
        }
        kafka.produceStrings().fromRecords(rest).awaitCompletion();
        Eventually.assertThat(Duration.ofSeconds(60), () -> Api.assertEventsSeen(org, "fielded", 460));

        // Reference: one detector, reconfigured before event 300. Unchanged it flags 440 and 450.
        List<Verdict.Scored> unchanged = anomalies(events, -1);
        assertEquals(List.of(440L, 450L), unchanged.stream().map(Verdict.Scored::index).toList());
        List<Verdict.Scored> expected = anomalies(events, 300);
        assertEquals(List.of(450L), expected.stream().map(Verdict.Scored::index).toList());
        // State kept: the baseline holds all 450 earlier events (a new detector would still be warming up).
        assertEquals(450, expected.getFirst().evidence().baselineEvents());
        assertEquals(150, expected.getFirst().evidence().calibrationSize());

        List<Map<String, Object>> found = Api.anomalies(org, "fielded");
        assertEquals(1, found.size());
        Map<String, Object> anomaly = found.getFirst();
        assertEquals(450L, ((Number) anomaly.get("position")).longValue());
        assertEquals("f-450", anomaly.get("eventRef"));
        assertEquals(expected.getFirst().score(), ((Number) anomaly.get("score")).doubleValue());
        assertEquals(expected.getFirst().pValue(), ((Number) anomaly.get("pValue")).doubleValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> evidence = (Map<String, Object>) anomaly.get("evidence");
        assertEquals(450.0, ((Number) evidence.get("baselineEvents")).doubleValue());
        assertEquals(150.0, ((Number) evidence.get("calibrationSize")).doubleValue());
    }

    /** The anomalies of one detector over {@code events}, excluding field {@code trace} from event {@code changeAt} (-1: never). */
    private static List<Verdict.Scored> anomalies(List<String> events, int changeAt) {
        List<Verdict.Scored> anomalies = new ArrayList<>();
        try (Detector reference = Detector.create(DetectorConfig.defaults(InputKind.JSON))) {
            for (int i = 0; i < events.size(); i++) {
                if (i == changeAt) {
                    reference.reconfigure(reference.config().withFields(java.util.Set.of(), java.util.Set.of("trace")));
                }
                if (reference.score(events.get(i)) instanceof Verdict.Scored s && s.anomaly()) {
                    anomalies.add(s);
                }
            }
        }
        return anomalies;
    }
}
