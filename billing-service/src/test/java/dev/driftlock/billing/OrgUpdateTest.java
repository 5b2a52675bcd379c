package dev.driftlock.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.OrgUpdated;
import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.InternalTokens;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** An org's new name or billing e-mail reaches its Stripe customer once, however often the event comes. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "billing"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StripeFake.class, scope = TestResourceScope.GLOBAL)
class OrgUpdateTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());
    WireMockServer stripe = StripeFake.server();

    @Test
    void orgUpdatedUpdatesTheStripeCustomerOnceAndIsAudited() {
        String org = "org_rename";
        BillingFixtures.createOrg(kafka, org);
        stripe.stubFor(post("/v1/customers").withHeader("Idempotency-Key", equalTo("customer:" + org))
                .willReturn(okJson("""
                        {"id": "cus_rename", "object": "customer", "name": "Org org_rename", "email": "billing@org_rename.example",
                         "metadata": {"org_id": "org_rename"}, "livemode": false}""")));
        stripe.stubFor(post("/v1/billing_portal/sessions").withHeader("Idempotency-Key", matching("portal:" + org + ":.+"))
                .willReturn(okJson("""
                        {"id": "bps_rename", "object": "billing_portal.session", "customer": "cus_rename",
                         "return_url": "http://localhost:8080/billing", "url": "https://billing.stripe.com/p/session/test_rename", "livemode": false}""")));
        stripe.stubFor(post("/v1/customers/cus_rename").willReturn(okJson("""
                {"id": "cus_rename", "object": "customer", "name": "Renamed Co", "email": "finance@renamed.example",
                 "metadata": {"org_id": "org_rename"}, "livemode": false}""")));
        given().auth().oauth2(InternalTokens.mint(org, "alice", "admin")).contentType("application/json").body("{}")
                .when().post("/v1/billing/portal").then().statusCode(200);

        UUID renamed = UUID.nameUUIDFromBytes("org.updated:org_rename:2".getBytes(StandardCharsets.UTF_8));
        String update = EventJson.write(Envelope.of(renamed, org, TestClock.now(),
                new OrgUpdated("Renamed Co", List.of("finance@renamed.example", "cfo@renamed.example"), 2)));
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.ORGS, org, update)).awaitCompletion(BillingFixtures.PATIENCE);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(1,
                stripe.findAll(postRequestedFor(urlEqualTo("/v1/customers/cus_rename"))).size()));
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(1,
                Db.count("SELECT count(*) FROM processed_event WHERE event_id = ? AND consumer = 'customers'", renamed)));
        var request = stripe.findAll(postRequestedFor(urlEqualTo("/v1/customers/cus_rename"))).getFirst();
        assertEquals(List.of("email=finance@renamed.example", "name=Renamed Co"), Stripe.form(request));
        assertEquals("customer-update:" + renamed, request.getHeader("Idempotency-Key"));
        assertEquals(1, Db.count("""
                SELECT count(*) FROM customer WHERE org_id = ? AND name = 'Renamed Co' AND billing_email = 'finance@renamed.example'
                 AND org_revision = 2""", org));
        assertEquals(1, Db.count("""
                SELECT count(*) FROM audit_log WHERE org_id = ? AND action = 'customer.updated' AND reason = 'org.updated'
                 AND detail = 'revision 0 -> 2: name ''Org org_rename'' -> ''Renamed Co'', billing e-mail billing@org_rename.example -> finance@renamed.example (Stripe customer updated)'
                 AND stripe_ids = 'cus_rename' AND actor = ?""", org, "kafka:" + renamed));

        // the same event again, then an older revision: neither reaches Stripe (the older one is stale), both are consumed
        UUID older = UUID.nameUUIDFromBytes("org.updated:org_rename:1".getBytes(StandardCharsets.UTF_8));
        String stale = EventJson.write(Envelope.of(older, org, TestClock.now(), new OrgUpdated("Old Name", List.of("old@renamed.example"), 1)));
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.ORGS, org, update), new ProducerRecord<>(Topics.ORGS, org, stale))
                .awaitCompletion(BillingFixtures.PATIENCE);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(1,
                Db.count("SELECT count(*) FROM processed_event WHERE event_id = ? AND consumer = 'customers'", older)));
        assertEquals(1, stripe.findAll(postRequestedFor(urlEqualTo("/v1/customers/cus_rename"))).size());
        assertEquals(1, Db.count("SELECT count(*) FROM customer WHERE org_id = ? AND name = 'Renamed Co' AND org_revision = 2", org));
        assertEquals(1, Db.count("SELECT count(*) FROM audit_log WHERE org_id = ? AND action = 'customer.updated'", org));
    }

    @Test
    void anUpdateCommittedWhileTheStripeCustomerIsBeingCreatedStillReachesStripe() throws Exception {
        String org = "org_rename_race";
        BillingFixtures.createOrg(kafka, org);
        stripe.stubFor(post("/v1/customers").withHeader("Idempotency-Key", equalTo("customer:" + org))
                .willReturn(okJson("""
                        {"id": "cus_rename_race", "object": "customer", "metadata": {"org_id": "org_rename_race"}, "livemode": false}""")
                        .withFixedDelay(8000)));
        stripe.stubFor(post("/v1/billing_portal/sessions").withHeader("Idempotency-Key", matching("portal:" + org + ":.+"))
                .willReturn(okJson("""
                        {"id": "bps_rename_race", "object": "billing_portal.session", "customer": "cus_rename_race",
                         "return_url": "http://localhost:8080/billing", "url": "https://billing.stripe.com/p/session/test_race", "livemode": false}""")));
        stripe.stubFor(post("/v1/customers/cus_rename_race").willReturn(okJson("""
                {"id": "cus_rename_race", "object": "customer", "livemode": false}""")));

        CompletableFuture<Integer> portal = CompletableFuture.supplyAsync(() -> given().auth().oauth2(InternalTokens.mint(org, "alice", "admin"))
                .contentType("application/json").body("{}").when().post("/v1/billing/portal").then().extract().statusCode());
        // billing has read the old contact and is waiting for Stripe's answer; the update commits meanwhile
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(1, stripe.findAll(postRequestedFor(urlEqualTo("/v1/customers"))
                .withHeader("Idempotency-Key", equalTo("customer:" + org))).size()));
        UUID renamed = UUID.nameUUIDFromBytes("org.updated:org_rename_race:2".getBytes(StandardCharsets.UTF_8));
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.ORGS, org, EventJson.write(Envelope.of(renamed, org, TestClock.now(),
                new OrgUpdated("Race Co", List.of("finance@race.example"), 2))))).awaitCompletion(BillingFixtures.PATIENCE);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(1,
                Db.count("SELECT count(*) FROM customer WHERE org_id = ? AND name = 'Race Co' AND org_revision = 2", org)));
        assertEquals(200, portal.get(90, TimeUnit.SECONDS));

        var updates = stripe.findAll(postRequestedFor(urlEqualTo("/v1/customers/cus_rename_race")));
        assertEquals(1, updates.size());
        assertEquals(List.of("email=finance@race.example", "name=Race Co"), Stripe.form(updates.getFirst()));
        assertEquals("customer-sync:org_rename_race:2", updates.getFirst().getHeader("Idempotency-Key"));
    }

    @Test
    void anOrgWithoutStripeCustomerChangesOnlyInBilling() {
        String org = "org_rename_local";
        BillingFixtures.createOrg(kafka, org);
        UUID renamed = UUID.nameUUIDFromBytes("org.updated:org_rename_local:2".getBytes(StandardCharsets.UTF_8));
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.ORGS, org, EventJson.write(Envelope.of(renamed, org, TestClock.now(),
                new OrgUpdated("Local Co", List.of(), 2))))).awaitCompletion(BillingFixtures.PATIENCE);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(1,
                Db.count("SELECT count(*) FROM customer WHERE org_id = ? AND name = 'Local Co' AND billing_email IS NULL AND org_revision = 2", org)));
        assertEquals(0, stripe.findAll(postRequestedFor(urlEqualTo("/v1/customers")).withHeader("Idempotency-Key", equalTo("customer:" + org))).size());
        assertEquals(1, Db.count("""
                SELECT count(*) FROM audit_log WHERE org_id = ? AND action = 'customer.updated'
                 AND detail = 'revision 0 -> 2: name ''Org org_rename_local'' -> ''Local Co'', billing e-mail billing@org_rename_local.example -> null (no Stripe customer yet)'
                 AND stripe_ids = '' AND actor = ?""", org, "kafka:" + renamed));
    }
}
