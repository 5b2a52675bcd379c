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
                .when().put("/v1/settings/detection").then().statusCode(400).contentType("application/problem+json");
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

        List<Long> expected = new ArrayList<>();
        try (Detector reference = Detector.create(DetectorConfig.defaults(InputKind.JSON))) {
            for (int i = 0; i < events.size(); i++) {
                if (i == 300) {
                    reference.reconfigure(reference.config().withSensitivity(0.0));
                }
                if (reference.score(events.get(i)) instanceof Verdict.Scored s && s.anomaly()) {
                    expected.add(s.index());
                }
            }
        }
        assertEquals(List.of(300L, 361L), expected);
        List<Map<String, Object>> found = Api.anomalies(org, "tuned");
        assertEquals(expected, found.stream().map(a -> ((Number) a.get("position")).longValue()).sorted().toList());
        for (Map<String, Object> anomaly : found) {
            assertEquals(Sensitivity.alpha(0.0), ((Number) anomaly.get("alpha")).doubleValue());
        }
    }
}
