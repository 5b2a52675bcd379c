package dev.driftlock.detection.anomaly;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.driftlock.detection.Api;
import dev.driftlock.detection.Traffic;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "detection"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class AnomalyApiTest {

    static final String ORG_A = "org_alpha";
    static final String ORG_B = "org_bravo";
    static boolean seeded;

    /** Two anomalies of org A (Monitor API, synchronous): positions 0 and 61 of request "seed". */
    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        List<String> events = Traffic.events();
        String body = "{\"requestId\":\"seed\",\"streamId\":\"payments\",\"baseline\":"
                + events.subList(0, 300).stream().collect(Collectors.joining(",", "[", "]"))
                + ",\"items\":" + events.subList(300, 370).stream().collect(Collectors.joining(",", "[", "]")) + "}";
        given().auth().oauth2(Api.ingestor(ORG_A)).contentType("application/json").body(body).when().post("/v1/detect")
                .then().statusCode(200).body("anomalies", equalTo(2));
        seeded = true;
    }

    @Test
    void anotherOrgCannotSeeChangeOrStreamTheAnomalies() throws Exception {
        String id = (String) Api.anomalies(ORG_A, "payments").getFirst().get("id");
        given().auth().oauth2(Api.reader(ORG_A)).when().get("/v1/anomalies/" + id).then().statusCode(200).body("id", equalTo(id));
        given().auth().oauth2(Api.reader(ORG_B)).when().get("/v1/anomalies/" + id).then().statusCode(404)
                .contentType("application/problem+json").body("detail", equalTo("no anomaly " + id + " in your organization"));
        given().auth().oauth2(Api.reader(ORG_B)).contentType("application/json").body("{\"status\":\"resolved\"}")
                .when().patch("/v1/anomalies/" + id).then().statusCode(404);
        given().auth().oauth2(Api.reader(ORG_B)).when().get("/v1/anomalies").then().statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(Api.reader(ORG_A)).when().get("/v1/anomalies/" + id).then().body("status", equalTo("new"));

        try (Api.Feed other = Api.feed(ORG_B, null, "0"); Api.Feed own = Api.feed(ORG_A, "payments", "0")) {
            CompletableFuture<List<String[]>> othersView = other.next(1);
            List<String[]> ownView = own.next(2).get(20, TimeUnit.SECONDS);
            assertEquals(2, ownView.size());
            Thread.sleep(1000);
            assertFalse(othersView.isDone());
            // Resuming after the first event gives only the second.
            try (Api.Feed resumed = Api.feed(ORG_A, "payments", ownView.getFirst()[0])) {
                List<String[]> rest = resumed.next(1).get(20, TimeUnit.SECONDS);
                assertEquals(ownView.get(1)[0], rest.getFirst()[0]);
                assertEquals(JsonPath.from(ownView.get(1)[1]).getString("id"), JsonPath.from(rest.getFirst()[1]).getString("id"));
            }
        }
    }

    @Test
    void statusChangesKeepTheirHistoryAndFilterTheList() {
        String id = (String) Api.anomalies(ORG_A, "payments").getLast().get("id");
        given().auth().oauth2(Api.reader(ORG_A)).contentType("application/json")
                .body("{\"status\":\"acknowledged\",\"note\":\"looking into it\"}")
                .when().patch("/v1/anomalies/" + id).then().statusCode(200)
                .body("status", equalTo("acknowledged")).body("note", equalTo("looking into it"))
                .body("history[0].from", equalTo("new")).body("history[0].to", equalTo("acknowledged"))
                .body("history[0].principal", equalTo("alice"));
        given().auth().oauth2(Api.reader(ORG_A)).contentType("application/json").body("{\"status\":\"false_positive\"}")
                .when().patch("/v1/anomalies/" + id).then().statusCode(200)
                .body("history.to", equalTo(List.of("acknowledged", "false_positive"))).body("note", nullValue());
        given().auth().oauth2(Api.reader(ORG_A)).contentType("application/json").body("{\"status\":\"closed\"}")
                .when().patch("/v1/anomalies/" + id).then().statusCode(422).contentType("application/problem+json");
        given().auth().oauth2(Api.reader(ORG_A)).contentType("application/json").body("{\"status\":")
                .when().patch("/v1/anomalies/" + id).then().statusCode(400).contentType("application/problem+json");

        given().auth().oauth2(Api.reader(ORG_A)).queryParam("status", "false_positive").when().get("/v1/anomalies").then()
                .statusCode(200).body("items.id", equalTo(List.of(id)));
        given().auth().oauth2(Api.reader(ORG_A)).queryParam("minScore", 1.0).queryParam("streamId", "payments")
                .when().get("/v1/anomalies").then().body("items", hasSize(2));
        given().auth().oauth2(Api.reader(ORG_A)).queryParam("to", "2000-01-01T00:00:00Z")
                .when().get("/v1/anomalies").then().body("items", hasSize(0));
    }

    @Test
    void theListPagesWithACursorAndRejectsBadFilters() {
        JsonPath first = given().auth().oauth2(Api.reader(ORG_A)).queryParam("streamId", "payments").queryParam("limit", 1)
                .when().get("/v1/anomalies").then().statusCode(200).extract().jsonPath();
        String cursor = first.getString("nextCursor");
        JsonPath second = given().auth().oauth2(Api.reader(ORG_A)).queryParam("streamId", "payments").queryParam("limit", 1)
                .queryParam("cursor", cursor).when().get("/v1/anomalies").then().statusCode(200).extract().jsonPath();
        assertNotEquals(first.getString("items[0].id"), second.getString("items[0].id"));
        assertEquals("payments", second.getString("items[0].streamId"));

        given().auth().oauth2(Api.reader(ORG_A)).queryParam("cursor", "nonsense!").when().get("/v1/anomalies").then().statusCode(422);
        given().auth().oauth2(Api.reader(ORG_A)).queryParam("status", "open").when().get("/v1/anomalies").then().statusCode(422);
        given().auth().oauth2(Api.reader(ORG_A)).queryParam("from", "yesterday").when().get("/v1/anomalies").then().statusCode(422)
                .body("detail", equalTo("from must be an ISO-8601 instant such as 2026-11-21T10:15:30Z"));
        given().auth().oauth2(Api.reader(ORG_A)).queryParam("minScore", 2).when().get("/v1/anomalies").then().statusCode(422);
        given().auth().oauth2(Api.reader(ORG_A)).when().get("/v1/anomalies/not-a-uuid").then().statusCode(404);
        given().when().get("/v1/anomalies").then().statusCode(401);
    }

    @Test
    void theFeedsStreamFilterLeavesOtherStreamsOutAndABadLastEventIdIsAProblem() throws Exception {
        String org = "org_charlie";
        for (String stream : List.of("payments", "refunds")) {
            List<String> events = Traffic.events();
            String body = "{\"requestId\":\"feed-" + stream + "\",\"streamId\":\"" + stream + "\",\"baseline\":"
                    + events.subList(0, 300).stream().collect(Collectors.joining(",", "[", "]"))
                    + ",\"items\":" + events.subList(300, 370).stream().collect(Collectors.joining(",", "[", "]")) + "}";
            given().auth().oauth2(Api.ingestor(org)).contentType("application/json").body(body).when().post("/v1/detect")
                    .then().statusCode(200).body("anomalies", equalTo(2));
        }
        try (Api.Feed all = Api.feed(org, null, "0"); Api.Feed payments = Api.feed(org, "payments", "0")) {
            List<String[]> everything = all.next(4).get(20, TimeUnit.SECONDS);
            assertEquals(List.of("payments", "payments", "refunds", "refunds"),
                    everything.stream().map(e -> JsonPath.from(e[1]).getString("streamId")).sorted().toList());
            List<String[]> filtered = payments.next(2).get(20, TimeUnit.SECONDS);
            assertEquals(List.of("payments", "payments"), filtered.stream().map(e -> JsonPath.from(e[1]).getString("streamId")).toList());
            assertEquals(Api.anomalies(org, "payments").stream().map(a -> (String) a.get("id")).sorted().toList(),
                    filtered.stream().map(e -> JsonPath.from(e[1]).getString("id")).sorted().toList());
            // The refunds anomalies are settled (the unfiltered feed sent them) but never reach the filtered feed.
            CompletableFuture<List<String[]>> more = payments.next(1);
            Thread.sleep(1500);
            assertFalse(more.isDone());
        }

        given().auth().oauth2(Api.reader(org)).header("Last-Event-ID", "yesterday").accept("text/event-stream")
                .when().get("/v1/stream/anomalies").then().statusCode(422).contentType("application/problem+json")
                .body("detail", equalTo("Last-Event-ID must be an id this feed sent"));
        given().auth().oauth2(Api.reader(org)).queryParam("streamId", "bad id!").accept("text/event-stream")
                .when().get("/v1/stream/anomalies").then().statusCode(422).contentType("application/problem+json")
                .body("detail", equalTo("streamId must be 1-128 characters of A-Z a-z 0-9 . _ -"));
    }
}
