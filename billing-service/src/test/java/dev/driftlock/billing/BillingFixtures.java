package dev.driftlock.billing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.driftlock.events.BillingEvent;
import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.OrgCreated;
import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.InternalTokens;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Shared steps of the billing tests: orgs through Kafka, and what billing published for an org. */
final class BillingFixtures {

    /** How long asynchronous effects may take: generous, the test machine is shared with other builds. */
    static final Duration PATIENCE = Duration.ofSeconds(90);

    private BillingFixtures() {
    }

    /** Announces a new org on the orgs topic and waits until billing has it on the developer plan. */
    static void createOrg(KafkaCompanion kafka, String org) {
        String created = EventJson.write(Envelope.of(UUID.nameUUIDFromBytes(("org.created:" + org).getBytes(StandardCharsets.UTF_8)), org,
                TestClock.now(), new OrgCreated("Org " + org, List.of("billing@" + org + ".example"), "owner", "owner@" + org + ".example")));
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.ORGS, org, created)).awaitCompletion(BillingFixtures.PATIENCE);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/subscription").then()
                .statusCode(200)
                .body("plan.id", equalTo("developer")));
    }

    /** The billing events of {@code org} of one type consumed so far, in order. */
    static <E extends BillingEvent> List<E> published(ConsumerTask<String, String> billing, String org, Class<E> type) {
        return billing.getRecords().stream()
                .filter(record -> org.equals(record.key()))
                .map(record -> EventJson.read(record.value()))
                .map(Envelope::data)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    static Envelope<DriftlockEvent> envelope(String value) {
        return EventJson.read(value);
    }
}
