package dev.driftlock.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnvelopeContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    @ParameterizedTest
    @EnumSource(EventType.class)
    void goldenSampleRoundTripsUnchanged(EventType type) throws IOException {
        String sample = resource("samples/" + type.typeName() + ".v1.json");

        Envelope<DriftlockEvent> envelope = EventJson.read(sample);

        assertInstanceOf(type.payloadClass(), envelope.data());
        assertEquals(type.typeName(), envelope.type());
        assertEquals("org_acme", envelope.orgId());
        assertEquals(Instant.parse("2026-11-21T10:15:30.250Z"), envelope.occurredAt());
        assertEquals(JSON.readTree(sample), JSON.readTree(EventJson.write(envelope)));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void goldenSampleMatchesItsSchema(EventType type) throws IOException {
        JsonSchema schema = SCHEMAS.getSchema(resource(type.schemaResource()));

        Set<ValidationMessage> problems = schema.validate(JSON.readTree(resource("samples/" + type.typeName() + ".v1.json")));

        assertEquals(Set.of(), problems);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void writtenEnvelopeMatchesItsSchema(EventType type) throws IOException {
        Envelope<DriftlockEvent> read = EventJson.read(resource("samples/" + type.typeName() + ".v1.json"));
        Envelope<DriftlockEvent> rewrapped = Envelope.of(UUID.randomUUID(), "org_other", Instant.now(), read.data());
        JsonSchema schema = SCHEMAS.getSchema(resource(type.schemaResource()));

        assertEquals(Set.of(), schema.validate(JSON.readTree(EventJson.write(rewrapped))));
        assertEquals(type.schemaVersion(), rewrapped.schemaVersion());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void tolerantReaderIgnoresUnknownFields(EventType type) throws IOException {
        String sample = resource("samples/" + type.typeName() + ".v1.json");
        ObjectNode extended = (ObjectNode) JSON.readTree(sample);
        extended.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        ((ObjectNode) extended.get("data")).put("addedInAFutureVersion", 42);

        Envelope<DriftlockEvent> envelope = EventJson.read(extended.toString());

        assertEquals(EventJson.read(sample), envelope);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyTypeHasACreatedTopic(EventType type) {
        assertTrue(Topics.ALL.stream().anyMatch(spec -> spec.name().equals(type.topic())), type.topic());
    }

    @Test
    void unknownTypeIsReportedSoReadersCanSkipIt() {
        String futureEvent = """
                {"eventId":"6a1f0a6e-8e4b-4c43-a3a4-5b2f6f2a9d01","type":"anomaly.merged",
                 "occurredAt":"2026-11-21T10:00:00Z","orgId":"org_acme","schemaVersion":1,"data":{}}
                """;

        UnknownEventTypeException error = assertThrows(UnknownEventTypeException.class, () -> EventJson.read(futureEvent));

        assertEquals("anomaly.merged", error.type());
    }

    @Test
    void malformedRecordsSayWhatIsWrong() {
        assertEquals("record has no value", malformed(""));
        assertTrue(malformed("{not json").startsWith("not valid JSON: "));
        assertEquals("envelope must be a JSON object", malformed("[1,2]"));
        assertEquals("'type' is required and must be a non-empty string", malformed("""
                {"eventId":"6a1f0a6e-8e4b-4c43-a3a4-5b2f6f2a9d01","orgId":"org_acme","data":{}}
                """));
        assertEquals("'orgId' is required and must be a non-empty string", malformed("""
                {"eventId":"6a1f0a6e-8e4b-4c43-a3a4-5b2f6f2a9d01","type":"billing.invoice_paid",
                 "occurredAt":"2026-11-21T10:00:00Z","schemaVersion":1,
                 "data":{"invoiceId":"in_1","amountPaidCents":1,"currency":"usd"}}
                """));
        assertEquals("unsupported schemaVersion 2 for billing.invoice_paid", malformed("""
                {"eventId":"6a1f0a6e-8e4b-4c43-a3a4-5b2f6f2a9d01","type":"billing.invoice_paid","orgId":"org_acme",
                 "occurredAt":"2026-11-21T10:00:00Z","schemaVersion":2,"data":{}}
                """));
        assertEquals("invalid billing.invoice_paid data: invoiceId", malformed("""
                {"eventId":"6a1f0a6e-8e4b-4c43-a3a4-5b2f6f2a9d01","type":"billing.invoice_paid","orgId":"org_acme",
                 "occurredAt":"2026-11-21T10:00:00Z","schemaVersion":1,"data":{"amountPaidCents":1,"currency":"usd"}}
                """));
        assertEquals("invalid billing.invoice_paid envelope: Invalid UUID string: not-a-uuid", malformed("""
                {"eventId":"not-a-uuid","type":"billing.invoice_paid","orgId":"org_acme",
                 "occurredAt":"2026-11-21T10:00:00Z","schemaVersion":1,
                 "data":{"invoiceId":"in_1","amountPaidCents":1,"currency":"usd"}}
                """));
    }

    @Test
    void envelopeTakesTypeAndVersionFromThePayload() {
        UUID eventId = UUID.fromString("2d9c8f1a-6b3e-4f7a-9c2d-1e0f3a4b5c6d");
        Envelope<OrgCreated> envelope = Envelope.of(eventId, "org_acme", Instant.parse("2026-11-21T00:00:00Z"),
                new OrgCreated("Acme", List.of("billing@acme.example"), "alice", "alice@acme.example"));

        assertEquals("org.created", envelope.type());
        assertEquals(1, envelope.schemaVersion());
        assertNotNull(EventJson.writeBytes(envelope));
        assertEquals(envelope, EventJson.read(EventJson.writeBytes(envelope)));
    }

    private static String malformed(String json) {
        return assertThrows(MalformedEventException.class, () -> EventJson.read(json)).getMessage();
    }

    private static String resource(String path) {
        try (InputStream in = EnvelopeContractTest.class.getClassLoader().getResourceAsStream(path)) {
            assertNotNull(in, "missing resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
