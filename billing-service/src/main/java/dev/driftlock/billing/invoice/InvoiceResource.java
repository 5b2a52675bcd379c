package dev.driftlock.billing.invoice;

import dev.driftlock.platform.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/v1/invoices")
@Produces(MediaType.APPLICATION_JSON)
class InvoiceResource {

    private final JsonWebToken token;

    InvoiceResource(JsonWebToken token) {
        this.token = token;
    }

    /** The org's invoices, newest first, with Stripe's hosted page and PDF links. */
    @GET
    @RolesAllowed({Caller.READ, Caller.ADMIN})
    public Uni<List<InvoiceView>> list() {
        String orgId = Caller.of(token).orgId();
        return Panache.withSession(() -> InvoiceEntity.<InvoiceEntity>list("orgId", Sort.by("createdAt").descending().and("stripeInvoiceId"), orgId))
                .map(invoices -> invoices.stream().map(InvoiceView::of).toList());
    }
}
