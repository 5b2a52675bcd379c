package dev.driftlock.billing;

import static io.restassured.RestAssured.given;

import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Stripe's wire format for tests: objects as Stripe sends them, and webhooks signed as Stripe signs them. */
final class Stripe {

    static final String API_VERSION = com.stripe.Stripe.API_VERSION;
    static final String STANDARD_PRICE = "price_standard_monthly_test";
    static final String GROWTH_PRICE = "price_growth_monthly_test";

    private Stripe() {
    }

    static String event(String id, String type, long created, String object) {
        return """
                {"id": "%s", "object": "event", "api_version": "%s", "created": %d, "type": "%s", "livemode": false,
                 "pending_webhooks": 1, "request": {"id": null, "idempotency_key": null},
                 "data": {"object": %s}}""".formatted(id, API_VERSION, created, type, object);
    }

    static String subscription(String id, String customer, String org, String status, String price, long periodStart, long periodEnd) {
        return """
                {"id": "%s", "object": "subscription", "customer": "%s", "status": "%s", "created": %d, "livemode": false,
                 "currency": "usd", "metadata": {"org_id": "%s"},
                 "items": {"object": "list", "has_more": false, "url": "/v1/subscription_items?subscription=%s",
                   "data": [{"id": "si_%s", "object": "subscription_item", "quantity": 1, "subscription": "%s",
                             "current_period_start": %d, "current_period_end": %d,
                             "price": {"id": "%s", "object": "price", "currency": "usd", "type": "recurring",
                                       "recurring": {"interval": "month", "interval_count": 1}}}]}}"""
                .formatted(id, customer, status, periodStart, org, id, id, id, periodStart, periodEnd, price);
    }

    static String invoice(String id, String customer, String status, long amountDue, long amountPaid, int attempts, String billingReason,
            long created, String kind) {
        return """
                {"id": "%s", "object": "invoice", "customer": "%s", "status": "%s", "amount_due": %d, "amount_paid": %d,
                 "amount_remaining": %d, "currency": "usd", "attempt_count": %d, "attempted": %b, "billing_reason": "%s",
                 "collection_method": "charge_automatically", "created": %d, "period_start": %d, "period_end": %d,
                 "next_payment_attempt": %s, "livemode": false,
                 "hosted_invoice_url": "https://invoice.stripe.com/i/acct_test/%s",
                 "invoice_pdf": "https://pay.stripe.com/invoice/acct_test/%s/pdf",
                 "metadata": {%s}}"""
                .formatted(id, customer, status, amountDue, amountPaid, amountDue - amountPaid, attempts, attempts > 0, billingReason,
                        created, created, created, "paid".equals(status) || attempts == 0 ? "null" : Long.toString(created + 86400),
                        id, id, kind == null ? "" : "\"kind\": \"" + kind + "\"");
    }

    /** {@code t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}, as Stripe signs. */
    static String signature(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Delivers a webhook signed now (by the service clock) with the right secret. */
    static ValidatableResponse deliver(String body) {
        return deliver(body, signature(StripeFake.WEBHOOK_SECRET, TestClock.now().getEpochSecond(), body));
    }

    static ValidatableResponse deliver(String body, String signature) {
        return given().header("Stripe-Signature", signature).contentType("application/json; charset=utf-8").body(body)
                .when().post("/webhooks/stripe").then();
    }

    static long epoch(Instant instant) {
        return instant.getEpochSecond();
    }
}
