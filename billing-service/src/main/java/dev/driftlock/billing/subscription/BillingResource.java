package dev.driftlock.billing.subscription;

import dev.driftlock.platform.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/v1/billing")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class BillingResource {

    private final CheckoutService checkout;
    private final JsonWebToken token;

    BillingResource(CheckoutService checkout, JsonWebToken token) {
        this.checkout = checkout;
        this.token = token;
    }

    /** A Stripe Checkout session for a paid plan; redirect the customer to {@code url}. */
    @POST
    @Path("/checkout")
    @RolesAllowed(Caller.ADMIN)
    public Uni<CheckoutView> checkout(@NotNull @Valid CheckoutRequest request) {
        return checkout.checkout(Caller.of(token), request);
    }

    /** A Stripe customer portal session (payment methods, plan changes, invoices). */
    @POST
    @Path("/portal")
    @RolesAllowed(Caller.ADMIN)
    public Uni<PortalView> portal(@Valid PortalRequest request) {
        return checkout.portal(Caller.of(token), request);
    }
}
