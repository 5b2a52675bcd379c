package dev.driftlock.detection.settings;

import dev.driftlock.detection.problem.InvalidValuesException;
import dev.driftlock.platform.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The org-level sensitivity (the dashboard's slider). */
@Path("/v1/settings/detection")
@Produces(MediaType.APPLICATION_JSON)
class SettingsResource {

    private final SettingsRepository settings;
    private final JsonWebToken token;

    SettingsResource(SettingsRepository settings, JsonWebToken token) {
        this.settings = settings;
        this.token = token;
    }

    /** @param sensitivity 0.0 (fewest alarms) .. 1.0 (most alarms) */
    record OrgSettings(Double sensitivity, Instant updatedAt) {
    }

    @GET
    @RolesAllowed({Caller.READ, Caller.ADMIN})
    public OrgSettings get() {
        String org = Caller.of(token).orgId();
        return new OrgSettings(settings.orgSensitivity(org), settings.orgUpdatedAt(org).orElse(null));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.ADMIN)
    public OrgSettings put(OrgSettings body) {
        if (body == null || body.sensitivity() == null) {
            throw new InvalidValuesException("sensitivity is required (a number within 0.0..1.0)");
        }
        double sensitivity = body.sensitivity();
        if (!(sensitivity >= 0.0 && sensitivity <= 1.0)) {
            throw new InvalidValuesException("sensitivity must be within 0.0..1.0, got " + sensitivity);
        }
        Instant at = settings.putOrg(Caller.of(token).orgId(), sensitivity);
        return new OrgSettings(sensitivity, at);
    }
}
