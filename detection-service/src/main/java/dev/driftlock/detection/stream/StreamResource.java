package dev.driftlock.detection.stream;

import dev.driftlock.detection.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/v1/streams")
@Produces(MediaType.APPLICATION_JSON)
class StreamResource {

    private final StreamService streams;
    private final JsonWebToken token;

    StreamResource(StreamService streams, JsonWebToken token) {
        this.streams = streams;
        this.token = token;
    }

    /** The caller org's streams, by id. */
    @GET
    @RolesAllowed({Caller.READ, Caller.ADMIN})
    public Uni<List<StreamView>> list() {
        return streams.list(Caller.of(token).orgId());
    }
}
