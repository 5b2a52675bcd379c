package dev.driftlock.detection;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.events.IngestHeaders;
import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.InternalTokens;
import io.restassured.RestAssured;
import io.restassured.path.json.config.JsonPathConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Calls of the detection API shared by the tests. */
public final class Api {

    private Api() {
    }

    public static String reader(String org) {
        return InternalTokens.mint(org, "alice", "read");
    }

    public static String admin(String org) {
        return InternalTokens.mint(org, "olga", "admin");
    }

    public static String ingestor(String org) {
        return InternalTokens.mint(org, "ingestor", "ingest");
    }

    /** The org's anomalies of a stream, numbers as doubles (exact comparisons). */
    public static List<Map<String, Object>> anomalies(String org, String stream) {
        return given().auth().oauth2(reader(org)).queryParam("streamId", stream).queryParam("limit", 200)
                .when().get("/v1/anomalies").then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE)).getList("items");
    }

    /** Asserts the stream's {@code eventsSeen} (for {@code Eventually}). */
    public static void assertEventsSeen(String org, String stream, int count) {
        given().auth().oauth2(reader(org)).when().get("/v1/streams/" + stream).then().statusCode(200)
                .body("eventsSeen", equalTo(count));
    }

    public static ProducerRecord<String, String> ingest(String org, String stream, String eventId, String body) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.INGEST, org + "/" + stream, body);
        record.headers().add(IngestHeaders.ORG_ID, org.getBytes(StandardCharsets.UTF_8));
        record.headers().add(IngestHeaders.STREAM_ID, stream.getBytes(StandardCharsets.UTF_8));
        if (eventId != null) {
            record.headers().add(IngestHeaders.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    /**
     * Posts {@code events[from..to)} as one batch with client ids {@code e-<i>} and, if not null, a
     * {@code traceparent} header; returns the accepted count.
     */
    public static int postEvents(String org, String stream, List<String> events, int from, int to, String traceparent) {
        StringBuilder body = new StringBuilder("[");
        for (int i = from; i < to; i++) {
            body.append(i == from ? "" : ",").append("{\"eventId\":\"e-").append(i).append("\",\"event\":")
                    .append(events.get(i)).append('}');
        }
        var request = given().auth().oauth2(ingestor(org)).contentType("application/json").body(body.append(']').toString());
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return request.when().post("/v1/streams/" + stream + "/events").then().statusCode(202).extract().path("accepted");
    }

    /** The {@code traceparent} header of a record, or null. */
    public static String traceparent(org.apache.kafka.clients.consumer.ConsumerRecord<?, ?> record) {
        var header = record.headers().lastHeader("traceparent");
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** An open SSE connection of an org; {@link #next(int)} reads data lines. */
    public static final class Feed implements AutoCloseable {
        private final BufferedReader reader;
        private final InputStream body;

        private Feed(InputStream body) {
            this.body = body;
            this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        }

        /** Reads until {@code count} events arrived (in the background); returns "id data" pairs. */
        public CompletableFuture<List<String[]>> next(int count) {
            return CompletableFuture.supplyAsync(() -> {
                List<String[]> events = new ArrayList<>();
                String id = null;
                try {
                    String line;
                    while (events.size() < count && (line = reader.readLine()) != null) {
                        if (line.startsWith("id:")) {
                            id = line.substring(3).strip();
                        } else if (line.startsWith("data:")) {
                            events.add(new String[] {id, line.substring(5).strip()});
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return events;
            });
        }

        /** Reads (in the background) until a data line matches {@code last}; returns every "id data" pair read. */
        public CompletableFuture<List<String[]>> until(java.util.function.Predicate<String> last) {
            return CompletableFuture.supplyAsync(() -> {
                List<String[]> events = new ArrayList<>();
                String id = null;
                try {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        if (line.startsWith("id:")) {
                            id = line.substring(3).strip();
                        } else if (line.startsWith("data:")) {
                            String data = line.substring(5).strip();
                            events.add(new String[] {id, data});
                            if (last.test(data)) {
                                break;
                            }
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return events;
            });
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    public static Feed feed(String org, String stream, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                        + "/v1/stream/anomalies" + (stream == null ? "" : "?streamId=" + stream)))
                .header("Authorization", "Bearer " + reader(org)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        return new Feed(response.body());
    }
}
