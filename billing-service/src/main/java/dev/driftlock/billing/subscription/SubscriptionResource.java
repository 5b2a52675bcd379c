package dev.driftlock.billing.subscription;

import dev.driftlock.platform.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/v1/subscription")
@Produces(MediaType.APPLICATION_JSON)
class SubscriptionResource {

    private final CustomerService customers;
    private final JsonWebToken token;

    SubscriptionResource(CustomerService customers, JsonWebToken token) {
        this.customers = customers;
        this.token = token;
    }

    /** The caller org's plan and subscription status. */
    @GET
    @RolesAllowed({Caller.READ, Caller.ADMIN})
    public Uni<SubscriptionView> current() {
        return customers.subscription(Caller.of(token).orgId());
    }
}
