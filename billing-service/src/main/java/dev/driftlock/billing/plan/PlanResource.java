package dev.driftlock.billing.plan;

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

@Path("/v1/plans")
@Produces(MediaType.APPLICATION_JSON)
class PlanResource {

    /** The plan catalog, cheapest first. */
    @GET
    @RolesAllowed({Caller.READ, Caller.ADMIN})
    public Uni<List<PlanView>> list() {
        return Panache.withSession(() -> PlanEntity.<PlanEntity>listAll(Sort.by("monthlyPriceCents")))
                .map(plans -> plans.stream().map(PlanView::of).toList());
    }
}
