package dev.driftlock.detection.anomaly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftlock.detection.DetectionConfig;
import dev.driftlock.detection.problem.InvalidValuesException;
import dev.driftlock.platform.security.Caller;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Live feed of the org's anomalies as Server-Sent Events (event name {@code anomaly}, id = the
 * position of the anomaly's change in the feed, data = the anomaly JSON). An anomaly is sent when it is
 * stored and again, with the same anomaly id and its new {@code events}/{@code lastSeenAt}, each time
 * its incident grows or its status changes (at most once per change, coalesced per consumer batch).
 * Reconnect with {@code Last-Event-ID} to resume after the last event seen; without it the feed
 * starts with changes from now on.
 */
@Path("/v1/stream/anomalies")
class AnomalyFeedResource {

    private static final int PAGE = 200;

    private final AnomalyRepository anomalies;
    private final DetectionConfig config;
    private final JsonWebToken token;
    private final ObjectMapper json;

    AnomalyFeedResource(AnomalyRepository anomalies, DetectionConfig config, JsonWebToken token, ObjectMapper json) {
        this.anomalies = anomalies;
        this.config = config;
        this.token = token;
        this.json = json;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({Caller.READ, Caller.ADMIN})
    public Multi<OutboundSseEvent> feed(@QueryParam("streamId") String streamId, @HeaderParam("Last-Event-ID") String lastEventId,
                                        @Context Sse sse) {
        if (streamId != null && !AnomalyResource.STREAM_ID.matcher(streamId).matches()) {
            throw new InvalidValuesException("streamId must be 1-128 characters of A-Z a-z 0-9 . _ -");
        }
        String orgId = Caller.of(token).orgId();
        long start;
        if (lastEventId == null || lastEventId.isBlank()) {
            start = anomalies.lastSeq(orgId);
        } else {
            try {
                start = Long.parseLong(lastEventId.strip());
            } catch (NumberFormatException e) {
                throw new InvalidValuesException("Last-Event-ID must be an id this feed sent");
            }
        }
        AtomicLong cursor = new AtomicLong(start);
        return Multi.createFrom().ticks().every(config.feed().pollInterval())
                .onOverflow().drop()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .concatMap(tick -> {
                    List<AnomalyView> page = anomalies.feed(orgId, streamId, cursor.get(),
                            Instant.now().minus(config.feed().settle()), PAGE);
                    if (!page.isEmpty()) {
                        cursor.set(page.getLast().feedSeq());
                    }
                    return Multi.createFrom().iterable(page);
                })
                .map(anomaly -> sse.newEventBuilder()
                        .id(Long.toString(anomaly.feedSeq()))
                        .name("anomaly")
                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(write(anomaly))
                        .build());
    }

    private String write(AnomalyView anomaly) {
        try {
            return json.writeValueAsString(anomaly);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
