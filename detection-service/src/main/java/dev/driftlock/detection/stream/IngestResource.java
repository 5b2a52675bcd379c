package dev.driftlock.detection.stream;

import dev.driftlock.detection.DetectionConfig;
import dev.driftlock.detection.KafkaSender;
import dev.driftlock.detection.KafkaTracing;
import dev.driftlock.detection.problem.InvalidValuesException;
import dev.driftlock.detection.problem.UnavailableException;
import dev.driftlock.platform.security.Caller;
import dev.driftlock.events.IngestHeaders;
import dev.driftlock.events.Topics;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Stream API: validates a batch and puts one record per event on the ingest topic (the same path
 * Kafka producers use, so one replica owns each stream's detector). Answers 202 once Kafka
 * acknowledged every record.
 */
@Path("/v1/streams/{streamId}/events")
class IngestResource {

    static final String NDJSON = "application/x-ndjson";

    private final KafkaSender sender;
    private final KafkaTracing tracing;
    private final DetectionConfig config;
    private final JsonWebToken token;

    IngestResource(KafkaSender sender, KafkaTracing tracing, DetectionConfig config, JsonWebToken token) {
        this.sender = sender;
        this.tracing = tracing;
        this.config = config;
        this.token = token;
    }

    /** @param eventIds the client's ids, or generated ones, in batch order */
    record Accepted(int accepted, List<String> eventIds) {
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, NDJSON})
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.INGEST, Caller.ADMIN})
    public Response ingest(@PathParam("streamId") String streamId, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                           @HeaderParam(KafkaTracing.TRACEPARENT) String traceparent, byte[] body) {
        if (!IngestRecord.STREAM_ID.matcher(streamId).matches()) {
            throw new InvalidValuesException("streamId must be 1-128 characters of A-Z a-z 0-9 . _ -");
        }
        boolean ndjson = contentType != null && contentType.toLowerCase().startsWith(NDJSON);
        IngestBatch batch = IngestBatch.parse(body == null ? new byte[0] : body, ndjson, config.ingest().maxBatchEvents(),
                config.ingest().maxBatchBytes());
        String orgId = Caller.of(token).orgId();
        byte[] org = orgId.getBytes(StandardCharsets.UTF_8);
        byte[] stream = streamId.getBytes(StandardCharsets.UTF_8);
        List<String> ids = new ArrayList<>(batch.items().size());
        List<ProducerRecord<String, String>> records = new ArrayList<>(batch.items().size());
        for (IngestBatch.Item item : batch.items()) {
            String id = item.eventId() != null ? item.eventId() : UUID.randomUUID().toString();
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.INGEST, orgId + "/" + streamId, item.value());
            record.headers().add(IngestHeaders.ORG_ID, org);
            record.headers().add(IngestHeaders.STREAM_ID, stream);
            record.headers().add(IngestHeaders.EVENT_ID, id.getBytes(StandardCharsets.UTF_8));
            tracing.inject(record.headers(), traceparent);
            records.add(record);
            ids.add(id);
        }
        try {
            sender.sendAll(records);
        } catch (IllegalStateException e) {
            throw new UnavailableException("the events could not be queued; retry the batch (with event ids a retry is safe)");
        }
        return Response.accepted(new Accepted(ids.size(), ids)).type(MediaType.APPLICATION_JSON).build();
    }
}
