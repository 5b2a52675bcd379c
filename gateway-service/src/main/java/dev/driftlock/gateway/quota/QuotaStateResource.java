package dev.driftlock.gateway.quota;

import dev.driftlock.gateway.org.CallerResolver;
import dev.driftlock.gateway.security.AccessDeniedException;
import dev.driftlock.gateway.security.Caller;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/v1/quota-state")
@Produces(MediaType.APPLICATION_JSON)
class QuotaStateResource {

    private final QuotaService quotas;
    private final CallerResolver callers;
    private final SecurityIdentity identity;

    QuotaStateResource(QuotaService quotas, CallerResolver callers, SecurityIdentity identity) {
        this.quotas = quotas;
        this.callers = callers;
        this.identity = identity;
    }

    /** Whether the caller's org may ingest, and why not (scope read or admin). */
    @GET
    @Authenticated
    public Uni<QuotaStateView> current(@HeaderParam("X-DriftLock-Org") String org) {
        return callers.resolve(identity, org).chain(caller -> {
            if (!caller.has(Caller.READ) && !caller.has(Caller.ADMIN)) {
                throw new AccessDeniedException("Reading the quota state needs scope read or admin.");
            }
            return quotas.current(caller.orgId());
        });
    }
}
