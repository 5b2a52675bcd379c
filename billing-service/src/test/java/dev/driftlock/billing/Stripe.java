package dev.driftlock.billing;

import static io.restassured.RestAssured.given;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.restassured.response.ValidatableResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
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

    /** A coupon as Stripe answers it ({@code percent_off} is a decimal on the wire). */
    static String coupon(String id, String percentOff, String duration, Integer durationInMonths, boolean valid) {
        return """
                {"id": "%s", "object": "coupon", "amount_off": null, "created": 1763683200, "currency": null, "duration": "%s",
                 "duration_in_months": %s, "livemode": false, "max_redemptions": null, "metadata": {},
                 "name": "Launch: 50%% off for 3 months", "percent_off": %s, "redeem_by": null, "times_redeemed": 0, "valid": %b}"""
                .formatted(id, duration, durationInMonths == null ? "null" : durationInMonths.toString(), percentOff, valid);
    }

    /** Stripe's 404 for an object that does not exist. */
    static String resourceMissing(String what, String id) {
        return """
                {"error": {"code": "resource_missing", "doc_url": "https://stripe.com/docs/error-codes/resource-missing",
                 "message": "No such %s: '%s'", "param": "id", "type": "invalid_request_error"}}""".formatted(what, id);
    }

    /** The decoded {@code name=value} pairs of a form-encoded Stripe request, sorted (Stripe's order does not matter). */
    static List<String> form(LoggedRequest request) {
        return Arrays.stream(request.getBodyAsString().split("&"))
                .map(pair -> URLDecoder.decode(pair, StandardCharsets.UTF_8))
                .sorted()
                .toList();
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
