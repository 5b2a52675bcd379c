package dev.driftlock.gateway.apikey;

import dev.driftlock.gateway.apikey.ApiKeyDtos.CreateKey;
import dev.driftlock.gateway.apikey.ApiKeyDtos.KeyView;
import dev.driftlock.gateway.org.CallerResolver;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** API keys of an org (owner, admin, or a key with scope admin). */
@Path("/v1/orgs/{orgId}/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class ApiKeyResource {

    private final ApiKeyService keys;
    private final CallerResolver callers;
    private final SecurityIdentity identity;

    ApiKeyResource(ApiKeyService keys, CallerResolver callers, SecurityIdentity identity) {
        this.keys = keys;
        this.callers = callers;
        this.identity = identity;
    }

    /** Creates a key; the answer holds the key itself, shown this once. */
    @POST
    @Authenticated
    public Uni<Response> create(@PathParam("orgId") String orgId, @Valid CreateKey body) {
        return callers.inOrg(identity, orgId)
                .chain(caller -> keys.create(caller, body.name(), body.scopes(), body.streams()))
                .map(created -> Response.created(URI.create("/v1/orgs/" + orgId + "/api-keys/" + created.id())).entity(created).build());
    }

    @GET
    @Authenticated
    public Uni<List<KeyView>> list(@PathParam("orgId") String orgId) {
        return callers.inOrg(identity, orgId).chain(keys::list);
    }

    @DELETE
    @Path("/{keyId}")
    @Authenticated
    public Uni<Response> revoke(@PathParam("orgId") String orgId, @PathParam("keyId") String keyId) {
        return callers.inOrg(identity, orgId).chain(caller -> keys.revoke(caller, keyId)).map(done -> Response.noContent().build());
    }
}
