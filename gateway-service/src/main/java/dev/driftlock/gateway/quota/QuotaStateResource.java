package dev.driftlock.gateway.quota;

import dev.driftlock.gateway.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/v1/quota-state")
@Produces(MediaType.APPLICATION_JSON)
class QuotaStateResource {

    private final QuotaService quotas;
    private final JsonWebToken token;

    QuotaStateResource(QuotaService quotas, JsonWebToken token) {
        this.quotas = quotas;
        this.token = token;
    }

    /** Whether the caller org may ingest, and why not. */
    @GET
    @RolesAllowed({Caller.READ, Caller.ADMIN})
    public Uni<QuotaStateView> current() {
        return quotas.current(Caller.of(token).orgId());
    }
}
