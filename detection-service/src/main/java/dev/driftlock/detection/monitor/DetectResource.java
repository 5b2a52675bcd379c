package dev.driftlock.detection.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftlock.detection.DetectionConfig;
import dev.driftlock.detection.KafkaTracing;
import dev.driftlock.detection.problem.InvalidValuesException;
import dev.driftlock.detection.problem.MalformedBodyException;
import dev.driftlock.detection.problem.TooLargeException;
import dev.driftlock.platform.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Monitor API: synchronous detection over a series, optionally against a baseline. */
@Path("/v1/detect")
class DetectResource {

    private final DetectService detect;
    private final DetectionConfig config;
    private final JsonWebToken token;
    private final ObjectMapper json;

    DetectResource(DetectService detect, DetectionConfig config, JsonWebToken token, ObjectMapper json) {
        this.detect = detect;
        this.config = config;
        this.token = token;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.INGEST, Caller.ADMIN})
    public DetectResponse detect(@HeaderParam(KafkaTracing.TRACEPARENT) String traceparent, byte[] body) {
        if (body == null || body.length == 0) {
            throw new MalformedBodyException("a JSON object with items is required");
        }
        if (body.length > config.monitor().maxBytes()) {
            throw new TooLargeException("the request has " + body.length + " bytes; at most " + config.monitor().maxBytes()
                    + " are accepted");
        }
        DetectRequest request;
        try {
            request = json.readValue(body, DetectRequest.class);
        } catch (IOException e) {
            throw new MalformedBodyException("the body is not a valid detect request: "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException p ? p.getOriginalMessage() : e.getMessage()));
        }
        if (request == null) {
            throw new MalformedBodyException("a JSON object with items is required");
        }
        int count = (request.items() == null ? 0 : request.items().size())
                + (request.baseline() == null ? 0 : request.baseline().size());
        if (count > config.monitor().maxItems()) {
            throw new TooLargeException("the request has " + count + " items and baseline events; at most "
                    + config.monitor().maxItems() + " are accepted");
        }
        if (request.items() == null || request.items().isEmpty()) {
            throw new InvalidValuesException("items must contain at least one event or point");
        }
        return detect.detect(Caller.of(token).orgId(), request, traceparent);
    }
}
