package dev.driftlock.notification;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftlock.events.DunningStateChanged;
import dev.driftlock.events.InvoiceCreated;
import dev.driftlock.events.OrgCreated;
import dev.driftlock.events.PaymentFailed;
import dev.driftlock.events.QuotaStateChanged;
import dev.driftlock.events.Topics;
import dev.driftlock.events.UsageThresholdCrossed;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.InternalTokens;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** Every e-mail kind through a real SMTP server (GreenMail), exactly once, with the provider chosen by configuration. */
@QuarkusTest
@TestProfile(SmtpProfile.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "notification"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ResendWireMockResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = GreenMailResource.class, scope = TestResourceScope.GLOBAL)
class SmtpDeliveryTest {

    static final Instant PERIOD_START = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant PERIOD_END = Instant.parse("2026-12-01T00:00:00Z");

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Test
    void eachEventKindSendsExactlyOneEmailOverSmtpAlthoughEveryEventIsDeliveredThreeTimes() throws Exception {
        String org = "org_smtp_all";
        String billing = "billing@globex-smtp.example";
        String finance = "finance@globex-smtp.example";
        Kafka.produce(kafka, Topics.ORGS, org, 3, Kafka.event("70000000-0000-4000-8000-000000000001", org,
                new OrgCreated("Globex", List.of(billing, finance), "gina", "gina@globex-smtp.example")));
        Eventually.assertThat(Kafka.WAIT, () -> assertEquals(2, messagesTo(billing).size() + messagesTo(finance).size()));
        Kafka.produce(kafka, Topics.USAGE, org, 3, Kafka.event("70000000-0000-4000-8000-000000000002", org,
                new UsageThresholdCrossed(100, 5000, 5000, "team", PERIOD_START, PERIOD_END)));
        Kafka.produce(kafka, Topics.QUOTA_STATE, org, 3, Kafka.event("70000000-0000-4000-8000-000000000003", org,
                new QuotaStateChanged("blocked", "cap_reached", "soft_cap", 7500, 5000, 150, PERIOD_END, "Usage cap reached")));
        Kafka.produce(kafka, Topics.BILLING, org, 3,
                Kafka.event("70000000-0000-4000-8000-000000000004", org, new PaymentFailed("in_7001", 29900, "usd", 3, null,
                        "https://invoice.stripe.test/i/in_7001")),
                Kafka.event("70000000-0000-4000-8000-000000000005", org, new DunningStateChanged("suspended", "grace", null,
                        "grace_expired", 2)),
                Kafka.event("70000000-0000-4000-8000-000000000006", org, new InvoiceCreated("in_7002", "mid_cycle", 50000, "usd",
                        "https://invoice.stripe.test/i/in_7002", null, PERIOD_START, PERIOD_END)));
        Kafka.awaitConsumed();

        for (String recipient : List.of(billing, finance)) {
            Map<String, MimeMessage> bySubject = new TreeMap<>();
            for (MimeMessage message : messagesTo(recipient)) {
                assertEquals(null, bySubject.put(message.getSubject(), message), "twice: " + message.getSubject());
            }
            assertEquals(Set.of(
                    "Welcome to DriftLock, Globex",
                    "Globex has used 100% of its included anomalies",
                    "Globex: anomaly detection is paused, usage cap reached",
                    "Globex: payment of $299.00 failed",
                    "Globex: anomaly detection is suspended for non-payment",
                    "Globex: new invoice for $500.00"), bySubject.keySet());
            MimeMessage usage = bySubject.get("Globex has used 100% of its included anomalies");
            assertEquals("DriftLock <notifications@driftlock.dev>", usage.getFrom()[0].toString());
            assertTrue(usage.getMessageID().startsWith("<driftlock-"), usage.getMessageID());
            assertTrue(part(usage, "text/plain").contains(
                    "Globex has used 5,000 of 5,000 anomalies (100%) included in the team plan for the period ending December 1, 2026."));
            assertTrue(part(usage, "text/html").contains("<strong>5,000 of 5,000 anomalies (100%)</strong>"));
            assertTrue(part(bySubject.get("Globex: anomaly detection is paused, usage cap reached"), "text/plain")
                    .contains("Globex reached its usage cap: 7,500 of 5,000 anomalies (150%)."));
            assertTrue(part(bySubject.get("Globex: payment of $299.00 failed"), "text/plain")
                    .contains("We could not collect $299.00 for invoice in_7001 (attempt 3)."));
            assertTrue(part(bySubject.get("Globex: new invoice for $500.00"), "text/plain")
                    .contains("A mid-cycle invoice in_7002 for $500.00 was created"));
        }

        given().auth().oauth2(InternalTokens.mint(org, "gina", "read")).when().get("/v1/notifications").then()
                .statusCode(200)
                .body("items.size()", Matchers.equalTo(12))
                .body("items.provider", Matchers.everyItem(Matchers.equalTo("smtp")))
                .body("items.status", Matchers.everyItem(Matchers.equalTo("sent")));
    }

    private static List<MimeMessage> messagesTo(String recipient) {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage message : GreenMailResource.greenMail().getReceivedMessages()) {
            try {
                if (Arrays.stream(message.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equals(recipient))) {
                    found.add(message);
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return found;
    }

    /** The body part of the given type (the mailer sends multipart/alternative with text and HTML). */
    private static String part(MimeMessage message, String type) throws Exception {
        return find(message.getContent(), type);
    }

    private static String find(Object content, String type) throws Exception {
        if (content instanceof MimeMultipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (part.isMimeType(type)) {
                    return part.getContent().toString().replace("\r\n", "\n");
                }
                String nested = find(part.getContent(), type);
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }
}
