package dev.driftlock.detection;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The detection counters and the latency histogram move by exactly what was ingested and found. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "detection"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class MetricsTest {

    static final String INGESTED = "driftlock_detection_events_ingested_total";
    static final String ANOMALIES = "driftlock_detection_anomalies_total";
    static final String LATENCY_COUNT = "driftlock_detection_latency_seconds_count";
    static final String STREAM = "source=\"stream\"";
    static final String MONITOR = "source=\"monitor\"";

    @Test
    void ingestedEventsAnomaliesAndLatencyMoveByExactlyTheBatch() {
        String org = "org_metrics";
        List<String> events = Traffic.events();
        double ingested = Metrics.settled(INGESTED);
        double streamAnomalies = Metrics.settled(ANOMALIES, STREAM);
        double monitorAnomalies = Metrics.settled(ANOMALIES, MONITOR);
        double latencyCount = Metrics.settled(LATENCY_COUNT);

        for (int from = 0; from < events.size(); from += 100) {
            assertEquals(100, Api.postEvents(org, "metered", events, from, from + 100, null));
        }
        Eventually.assertThat(Duration.ofSeconds(60), () -> Api.assertEventsSeen(org, "metered", 400));
        // 400 events scored once, the reference's 1 incident (2 flagged events), one detector timing per scored event.
        Eventually.assertThat(() -> {
            assertEquals(400.0, Metrics.value(INGESTED) - ingested);
            assertEquals(1.0, Metrics.value(ANOMALIES, STREAM) - streamAnomalies);
            assertEquals(400.0, Metrics.value(LATENCY_COUNT) - latencyCount);
        });
        assertEquals(1, Traffic.incidents(events).size());

        // A retried batch (same client ids) is neither counted nor timed; one new event after it is.
        assertEquals(100, Api.postEvents(org, "metered", events, 300, 400, null));
        given().auth().oauth2(Api.ingestor(org)).contentType("application/json")
                .body("[{\"eventId\":\"m-final\",\"event\":" + Traffic.event(1) + "}]")
                .when().post("/v1/streams/metered/events").then().statusCode(202);
        Eventually.assertThat(Duration.ofSeconds(60), () -> Api.assertEventsSeen(org, "metered", 401));
        assertEquals(401.0, Metrics.settled(INGESTED) - ingested);
        assertEquals(1.0, Metrics.value(ANOMALIES, STREAM) - streamAnomalies);
        assertEquals(401.0, Metrics.value(LATENCY_COUNT) - latencyCount);

        // The Monitor API counts its own anomalies.
        String body = "{\"requestId\":\"metrics-1\",\"streamId\":\"metered-batch\",\"baseline\":"
                + events.subList(0, 300).stream().collect(Collectors.joining(",", "[", "]"))
                + ",\"items\":" + events.subList(300, 370).stream().collect(Collectors.joining(",", "[", "]")) + "}";
        given().auth().oauth2(Api.ingestor(org)).contentType("application/json").body(body).when().post("/v1/detect")
                .then().statusCode(200).body("anomalies", equalTo(2));
        assertEquals(2.0, Metrics.value(ANOMALIES, MONITOR) - monitorAnomalies);
        // Its retry stores nothing new and counts nothing.
        given().auth().oauth2(Api.ingestor(org)).contentType("application/json").body(body).when().post("/v1/detect")
                .then().statusCode(200);
        assertEquals(2.0, Metrics.value(ANOMALIES, MONITOR) - monitorAnomalies);
        assertEquals(401.0, Metrics.value(INGESTED) - ingested);
    }
}
