package dev.driftlock.notification.notice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftlock.notification.NotificationConfig;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;

/**
 * Resend's delivery webhooks ({@code email.delivered}, {@code email.bounced}) move a sent e-mail to
 * {@code delivered} or {@code bounced}; other event types are acknowledged and ignored. Public, but
 * only requests signed with {@code driftlock.notification.resend.webhook-secret} are accepted.
 */
@Path("/webhooks/resend")
class ResendWebhookResource {

    private final NotificationService notifications;
    private final SvixSignature signature;
    private final ObjectMapper json;

    ResendWebhookResource(NotificationService notifications, NotificationConfig config, ObjectMapper json) {
        this.notifications = notifications;
        this.signature = config.resend().webhookSecret().map(SvixSignature::new).orElse(null);
        this.json = json;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Void> receive(@HeaderParam("svix-id") String id, @HeaderParam("svix-timestamp") String timestamp,
                             @HeaderParam("svix-signature") String signatures, String body) {
        if (signature == null || !signature.verify(id, timestamp, signatures, body, Instant.now())) {
            throw WebhookRejectedException.badSignature();
        }
        JsonNode event;
        try {
            event = json.readTree(body);
        } catch (Exception e) {
            throw WebhookRejectedException.malformed("The body is not JSON: " + e.getMessage());
        }
        String type = event.path("type").asText();
        String emailId = event.path("data").path("email_id").asText(null);
        String status = switch (type) {
            case "email.delivered" -> NotificationEntity.DELIVERED;
            case "email.bounced" -> NotificationEntity.BOUNCED;
            default -> null;
        };
        if (status == null) {
            return Uni.createFrom().voidItem();
        }
        if (emailId == null) {
            throw WebhookRejectedException.malformed("data.email_id is required for " + type);
        }
        String reason = status.equals(NotificationEntity.BOUNCED)
                ? "bounced: " + event.path("data").path("bounce").path("message").asText("no reason given")
                : null;
        return notifications.providerReported(emailId, status, reason).invoke(known -> {
            if (!known) {
                throw WebhookRejectedException.unknownEmail(emailId);
            }
        }).replaceWithVoid();
    }
}
