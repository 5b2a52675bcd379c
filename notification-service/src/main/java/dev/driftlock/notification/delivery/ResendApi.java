package dev.driftlock.notification.delivery;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Resend's send-email endpoint ({@code POST /emails}); built by {@link ResendClient} against the configured base URL. */
@Path("/emails")
public interface ResendApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> send(@HeaderParam("Authorization") String authorization, @HeaderParam("Idempotency-Key") String idempotencyKey,
                       Email email);

    /** The request body. */
    record Email(String from, List<String> to, String subject, String html, String text) {
    }

    /** The answer to an accepted e-mail. */
    record Sent(String id) {
    }

    /** The answer to a refused one ({@code {"statusCode":422,"name":"validation_error","message":"..."}}). */
    record Error(Integer statusCode, String name, String message) {
    }
}
