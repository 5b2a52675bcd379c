package dev.driftlock.notification.recipient;

import dev.driftlock.platform.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/v1/notification-settings")
@Produces(MediaType.APPLICATION_JSON)
class NotificationSettingsResource {

    private final RecipientService recipients;
    private final JsonWebToken token;

    NotificationSettingsResource(RecipientService recipients, JsonWebToken token) {
        this.recipients = recipients;
        this.token = token;
    }

    /** The caller org's e-mail recipients and preferences. */
    @GET
    @RolesAllowed({Caller.READ, Caller.ADMIN})
    public Uni<NotificationSettings> get() {
        return recipients.settings(Caller.of(token).orgId());
    }

    /** Turns the caller org's usage e-mails on or off (admins only). */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.ADMIN)
    public Uni<NotificationSettings> put(@Valid @NotNull SettingsUpdate update) {
        return recipients.setUsageEmails(Caller.of(token).orgId(), update.usageEmails());
    }
}
