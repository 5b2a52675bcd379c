package dev.driftlock.notification.notice;

import dev.driftlock.platform.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/v1/notifications")
@Produces(MediaType.APPLICATION_JSON)
class NotificationResource {

    private final NotificationService notifications;
    private final JsonWebToken token;

    NotificationResource(NotificationService notifications, JsonWebToken token) {
        this.notifications = notifications;
        this.token = token;
    }

    /** The caller org's notification log, newest first. */
    @GET
    @RolesAllowed({Caller.READ, Caller.ADMIN})
    public Uni<Page> list(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return notifications.list(Caller.of(token).orgId(), limit).map(Page::new);
    }

    /** A page of the log. */
    record Page(List<NotificationView> items) {
    }
}
