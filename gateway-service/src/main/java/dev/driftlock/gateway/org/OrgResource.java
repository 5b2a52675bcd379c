package dev.driftlock.gateway.org;

import dev.driftlock.gateway.org.OrgDtos.AuditView;
import dev.driftlock.gateway.org.OrgDtos.CreateOrg;
import dev.driftlock.gateway.org.OrgDtos.MemberView;
import dev.driftlock.gateway.org.OrgDtos.OrgView;
import dev.driftlock.gateway.org.OrgDtos.PutMember;
import dev.driftlock.gateway.org.OrgDtos.UpdateOrg;
import dev.driftlock.gateway.security.AccessDeniedException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** Orgs and their members: sign-up, settings, member management, audit log. */
@Path("/v1/orgs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
class OrgResource {

    private final OrgService orgs;
    private final CallerResolver callers;
    private final SecurityIdentity identity;

    OrgResource(OrgService orgs, CallerResolver callers, SecurityIdentity identity) {
        this.orgs = orgs;
        this.callers = callers;
        this.identity = identity;
    }

    /** Sign-up: a signed-in user creates an org and becomes its owner. */
    @POST
    @Authenticated
    public Uni<Response> create(@Valid CreateOrg body) {
        String userId = CallerResolver.userId(identity);
        if (userId == null) {
            throw new AccessDeniedException("Orgs are created by signed-in users (OIDC), not by API keys.");
        }
        return orgs.create(userId, CallerResolver.email(identity), body.name(), body.billingEmails())
                .map(view -> Response.created(URI.create("/v1/orgs/" + view.id())).entity(view).build());
    }

    /** The orgs of the signed-in user (or the org of an API key). */
    @GET
    @Authenticated
    public Uni<List<OrgView>> list() {
        String userId = CallerResolver.userId(identity);
        if (userId == null) {
            return callers.resolve(identity, null).chain(caller -> orgs.orgsOf(caller, null));
        }
        return orgs.orgsOf(null, userId);
    }

    @GET
    @Path("/{orgId}")
    @Authenticated
    public Uni<OrgView> get(@PathParam("orgId") String orgId) {
        return callers.inOrg(identity, orgId).chain(orgs::get);
    }

    /** New name and billing e-mails (owner, admin). */
    @PATCH
    @Path("/{orgId}")
    @Authenticated
    public Uni<OrgView> update(@PathParam("orgId") String orgId, @Valid UpdateOrg body) {
        return callers.inOrg(identity, orgId).chain(caller -> orgs.update(caller, body.name(), body.billingEmails()));
    }

    @GET
    @Path("/{orgId}/members")
    @Authenticated
    public Uni<List<MemberView>> members(@PathParam("orgId") String orgId) {
        return callers.inOrg(identity, orgId).chain(orgs::members);
    }

    /** Adds a member (by OIDC subject) or changes their role (owner, admin). */
    @PUT
    @Path("/{orgId}/members/{userId}")
    @Authenticated
    public Uni<MemberView> putMember(@PathParam("orgId") String orgId, @PathParam("userId") String userId, @Valid PutMember body) {
        return callers.inOrg(identity, orgId).chain(caller -> orgs.putMember(caller, userId, Role.of(body.role()), body.email()));
    }

    @DELETE
    @Path("/{orgId}/members/{userId}")
    @Authenticated
    public Uni<Response> removeMember(@PathParam("orgId") String orgId, @PathParam("userId") String userId) {
        return callers.inOrg(identity, orgId).chain(caller -> orgs.removeMember(caller, userId)).map(done -> Response.noContent().build());
    }

    /** Who changed keys and members (owner, admin), newest first. */
    @GET
    @Path("/{orgId}/audit")
    @Authenticated
    public Uni<List<AuditView>> audit(@PathParam("orgId") String orgId) {
        return callers.inOrg(identity, orgId).chain(orgs::auditLog);
    }
}
