package dev.driftlock.billing.webhook;

import com.google.gson.JsonParseException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import dev.driftlock.billing.BillingConfig;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Stripe's webhook endpoint: verifies the signature over the raw body (HMAC-SHA256 with the
 * endpoint secret, timestamp at most {@code webhook-tolerance-seconds} old), stores the event once
 * under Stripe's event id and answers at once; {@link StripeEventProcessor} applies it later.
 */
@Path("/webhooks/stripe")
class StripeWebhookResource {

    private final StripeEventStore store;
    private final BillingConfig config;
    private final Clock clock;

    StripeWebhookResource(StripeEventStore store, BillingConfig config, Clock clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Received> receive(@HeaderParam("Stripe-Signature") String signature, byte[] body) {
        if (signature == null || signature.isBlank()) {
            throw new InvalidWebhook("The Stripe-Signature header is missing.");
        }
        String payload = new String(body, StandardCharsets.UTF_8);
        Event event;
        try {
            event = Webhook.constructEvent(payload, signature, config.stripe().webhookSecret(),
                    config.stripe().webhookToleranceSeconds(), clock);
        } catch (SignatureVerificationException e) {
            throw new InvalidWebhook("The Stripe-Signature does not verify: " + e.getMessage());
        } catch (JsonParseException e) {
            throw new InvalidWebhook("The body is not a Stripe event.");
        }
        if (event.getId() == null || event.getType() == null || event.getCreated() == null) {
            throw new InvalidWebhook("The event lacks id, type or created.");
        }
        return store.store(event.getId(), event.getType(), event.getCreated(), payload)
                .map(stored -> new Received(event.getId(), !stored));
    }

    /** The acknowledgement; {@code duplicate} when the event was stored before. */
    record Received(String id, boolean duplicate) {
    }
}
