package dev.driftlock.metering.usage;

import dev.driftlock.metering.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/v1/usage")
@Produces(MediaType.APPLICATION_JSON)
class UsageResource {

    private final UsageService usage;
    private final JsonWebToken token;

    UsageResource(UsageService usage, JsonWebToken token) {
        this.usage = usage;
        this.token = token;
    }

    /** Anomalies used in the current period. */
    @GET
    @RolesAllowed({Caller.READ, Caller.ADMIN})
    public Uni<UsageView> current() {
        return usage.current(Caller.of(token).orgId());
    }
}
