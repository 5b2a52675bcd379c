package dev.driftlock.platform.problem;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** An endpoint per error kind, for {@link ProblemShapeTest}. */
@Path("/test/problems")
@Produces(MediaType.APPLICATION_JSON)
public class ProblemTestResource {

    /** A service's own feature exception. */
    static final class QuotaExhausted extends ProblemException {
        QuotaExhausted(String detail) {
            super(409, "quota-exhausted", "Quota exhausted", detail);
        }
    }

    public record Settings(@NotBlank String name, @Size(max = 1) List<@Email String> billingEmails) {
    }

    @GET
    @Path("feature")
    @PermitAll
    public String feature() {
        throw new QuotaExhausted("The org used 1000 of 1000 anomalies this period.");
    }

    @GET
    @Path("admin")
    @RolesAllowed("admin")
    public String admin() {
        return "ok";
    }

    @POST
    @Path("settings")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Settings settings(@Valid Settings settings) {
        return settings;
    }

    @GET
    @Path("missing")
    @PermitAll
    public String missing() {
        throw new NotFoundException("no stream checkout-api in this org");
    }

    @GET
    @Path("boom")
    @PermitAll
    public String boom() {
        throw new IllegalStateException("a bug");
    }
}
