package dev.driftlock.metering.usage;

import dev.driftlock.metering.MeteringConfig;
import dev.driftlock.metering.account.QuotaPolicy;
import dev.driftlock.platform.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/v1/quota-policy")
@Produces(MediaType.APPLICATION_JSON)
class QuotaPolicyResource {

    /**
     * A quota policy change.
     *
     * @param policy                {@code allow}, {@code soft_cap} or {@code hard_cap}
     * @param capPercent            soft cap in percent of the included anomalies (100-1000; default 120; used by soft_cap)
     * @param invoiceThresholdCents overage that raises a mid-period invoice (1000-100000000 cents; default 50000)
     */
    record PolicyChange(
            @NotNull @Pattern(regexp = "allow|soft_cap|hard_cap", message = "must be one of allow, soft_cap, hard_cap") String policy,
            @Min(100) @Max(1000) Integer capPercent,
            @Min(1000) @Max(100_000_000) Long invoiceThresholdCents) {
    }

    /**
     * The effective policy.
     *
     * @param source {@code org} when the org set it, {@code plan-default} otherwise
     */
    record PolicyView(String policy, int capPercent, long invoiceThresholdCents, String source) {

        static PolicyView of(QuotaPolicy policy) {
            return new PolicyView(policy.policy(), policy.capPercent(), policy.invoiceThresholdCents(),
                    policy.custom() ? "org" : "plan-default");
        }
    }

    private final UsageService usage;
    private final MeteringConfig config;
    private final JsonWebToken token;

    QuotaPolicyResource(UsageService usage, MeteringConfig config, JsonWebToken token) {
        this.usage = usage;
        this.config = config;
        this.token = token;
    }

    @GET
    @RolesAllowed(Caller.ADMIN)
    public Uni<PolicyView> get() {
        return usage.policy(Caller.of(token).orgId()).map(PolicyView::of);
    }

    /** Sets the org's policy; the quota state is recomputed and published at once. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.ADMIN)
    public Uni<PolicyView> put(@Valid @NotNull PolicyChange change) {
        Caller caller = Caller.of(token);
        QuotaPolicy policy = new QuotaPolicy(change.policy(),
                change.capPercent() == null ? config.quota().capPercent() : change.capPercent(),
                change.invoiceThresholdCents() == null ? config.quota().invoiceThresholdCents() : change.invoiceThresholdCents(), true);
        return usage.changePolicy(caller.orgId(), caller.principal(), policy).map(PolicyView::of);
    }
}
