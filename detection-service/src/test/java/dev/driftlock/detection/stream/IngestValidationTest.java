package dev.driftlock.detection.stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.detection.Api;
import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.DeadLetters;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.InternalTokens;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "detection"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class IngestValidationTest {

    static final String ORG = "org_ingest";
    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Test
    void ndjsonAndArraysAreAcceptedWithGeneratedOrClientIds() {
        given().auth().oauth2(Api.ingestor(ORG)).contentType("application/x-ndjson")
                .body("{\"eventId\":\"n-1\",\"event\":{\"a\":1}}\n\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/streams/ndjson/events").then().statusCode(202)
                .body("accepted", equalTo(2)).body("eventIds[0]", equalTo("n-1")).body("eventIds", hasSize(2));
        Eventually.assertThat(() -> given().auth().oauth2(Api.reader(ORG)).when().get("/v1/streams/ndjson").then()
                .statusCode(200).body("eventsSeen", equalTo(2)).body("kind", equalTo("JSON")));
        // Strings are text lines: a stream whose first event is text is a TEXT stream.
        post("textlog", "application/json", "[\"GET /health 200\", {\"eventId\":\"t-1\",\"event\":\"GET /ready 200\"}]")
                .then().statusCode(202).body("eventIds[1]", equalTo("t-1"));
        Eventually.assertThat(() -> given().auth().oauth2(Api.reader(ORG)).when().get("/v1/streams/textlog").then()
                .statusCode(200).body("eventsSeen", equalTo(2)).body("kind", equalTo("TEXT")));
    }

    @Test
    void badBatchesGetProblems() {
        post("checkout", "application/json", "[{\"a\":1},").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://driftlock.dev/problems/malformed-json"));
        post("checkout", "application/json", "{\"a\":1}").then().statusCode(400)
                .body("detail", equalTo("the body must be a JSON array of events (or NDJSON with Content-Type application/x-ndjson)"));
        post("checkout", "application/x-ndjson", "{\"a\":1}\n{\"a\":\n").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.startsWith("NDJSON line 2 is not valid JSON"));
        String tooMany = IntStream.range(0, 1001).mapToObj(i -> "{\"i\":" + i + "}").collect(Collectors.joining(",", "[", "]"));
        post("checkout", "application/json", tooMany).then().statusCode(413).contentType("application/problem+json")
                .body("detail", equalTo("the batch has more than 1000 events"));
        String tooBig = "[\"" + "x".repeat(1_048_600) + "\"]";
        post("checkout", "application/json", tooBig).then().statusCode(413).body("detail", equalTo(
                "the batch has 1048604 bytes; at most 1048576 are accepted"));
        post("bad id!", "application/json", "[{\"a\":1}]").then().statusCode(422).contentType("application/problem+json")
                .body("detail", equalTo("streamId must be 1-128 characters of A-Z a-z 0-9 . _ -"));
        post("checkout", "application/json", "[{\"eventId\":\"no spaces please\",\"event\":{\"a\":1}}]").then().statusCode(422)
                .body("detail", equalTo("item 0: eventId must be 1-128 characters of A-Z a-z 0-9 . _ : -"));
        post("checkout", "application/json", "[]").then().statusCode(422).body("detail", equalTo("the batch has no events"));
        post("checkout", "application/json", "[42]").then().statusCode(422)
                .body("detail", equalTo("item 0: an event must be a JSON object or a non-blank string"));
        given().auth().oauth2(Api.reader(ORG)).contentType("application/json").body("[{\"a\":1}]")
                .when().post("/v1/streams/checkout/events").then().statusCode(403);
        given().contentType("application/json").body("[{\"a\":1}]").when().post("/v1/streams/checkout/events").then().statusCode(401);
    }

    @Test
    void malformedKafkaRecordsLandOnTheDeadLetterTopicWithTheReason() {
        ConsumerTask<String, String> dlq = kafka.consumeStrings().fromTopics(Topics.DETECTION_DLQ);
        kafka.produceStrings().fromRecords(
                Api.ingest(ORG, "orders", "bad id", "{\"a\":1}"),
                Api.ingest(ORG, "orders", "o-1", "{\"a\":1}"),
                Api.ingest(ORG, "orders", "o-2", "not json for a JSON stream")).awaitCompletion();
        Eventually.assertThat(() -> assertEquals(2, deadLettersOf(dlq).size()));
        List<ConsumerRecord<String, String>> dead = deadLettersOf(dlq);
        assertEquals(2, dead.size());
        assertEquals("header driftlock-event-id is invalid (1-128 characters of A-Z a-z 0-9 . _ : -)", DeadLetters.reason(dead.get(0)));
        assertEquals("not json for a JSON stream", dead.get(1).value());
        assertEquals(true, DeadLetters.reason(dead.get(1)).startsWith("event is not valid for this JSON stream: "));
        dlq.close();
        // The partition moved on: the good record was counted.
        Eventually.assertThat(() -> given().auth().oauth2(Api.reader(ORG)).when().get("/v1/streams/orders").then()
                .statusCode(200).body("eventsSeen", equalTo(1)));
    }

    private static List<ConsumerRecord<String, String>> deadLettersOf(ConsumerTask<String, String> dlq) {
        return dlq.getRecords().stream().filter(r -> (ORG + "/orders").equals(r.key())).toList();
    }

    private static io.restassured.response.Response post(String stream, String type, String body) {
        return given().auth().oauth2(InternalTokens.mint(ORG, "ingestor", "ingest")).contentType(type)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/streams/" + stream + "/events");
    }
}
