package dev.driftlock.detection.anomaly;

import dev.driftlock.detection.problem.InvalidValuesException;
import dev.driftlock.detection.problem.NotFoundException;
import dev.driftlock.platform.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The org's anomalies: list with filters and a cursor, one by id, status changes with history. */
@Path("/v1/anomalies")
@Produces(MediaType.APPLICATION_JSON)
class AnomalyResource {

    static final Set<String> STATUSES = Set.of("new", "acknowledged", "resolved", "false_positive");
    static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final int MAX_LIMIT = 200;
    private static final int MAX_NOTE = 2000;

    private final AnomalyRepository anomalies;
    private final AnomalyService service;
    private final JsonWebToken token;

    AnomalyResource(AnomalyRepository anomalies, AnomalyService service, JsonWebToken token) {
        this.anomalies = anomalies;
        this.service = service;
        this.token = token;
    }

    /** A page, newest first; pass {@code nextCursor} as {@code cursor} for the next one (null at the end). */
    record Page(List<AnomalyView> items, String nextCursor) {
    }

    /** A status change. */
    record StatusBody(String status, String note) {
    }

    @GET
    @RolesAllowed({Caller.READ, Caller.ADMIN})
    public Page list(@QueryParam("streamId") String streamId, @QueryParam("status") String status,
                     @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("minScore") Double minScore,
                     @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        if (streamId != null && !STREAM_ID.matcher(streamId).matches()) {
            throw new InvalidValuesException("streamId must be 1-128 characters of A-Z a-z 0-9 . _ -");
        }
        if (status != null && !STATUSES.contains(status)) {
            throw new InvalidValuesException("status must be one of new, acknowledged, resolved, false_positive");
        }
        if (minScore != null && !(minScore >= 0.0 && minScore <= 1.0)) {
            throw new InvalidValuesException("minScore must be within 0.0..1.0");
        }
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new InvalidValuesException("limit must be within 1.." + MAX_LIMIT);
        }
        var filter = new AnomalyRepository.Filter(streamId, status, instant("from", from), instant("to", to), minScore,
                cursor == null ? null : decodeCursor(cursor), size);
        List<AnomalyView> items = anomalies.list(Caller.of(token).orgId(), filter);
        String next = items.size() == size ? encodeCursor(items.getLast().seq()) : null;
        return new Page(items, next);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Caller.READ, Caller.ADMIN})
    public AnomalyView get(@PathParam("id") String id) {
        UUID uuid = uuid(id);
        AnomalyView found = anomalies.find(Caller.of(token).orgId(), uuid).orElseThrow(() -> notFound(id));
        return found.withHistory(anomalies.history(uuid));
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.READ, Caller.ADMIN})
    public AnomalyView changeStatus(@PathParam("id") String id, StatusBody body) {
        UUID uuid = uuid(id);
        if (body == null || body.status() == null || !STATUSES.contains(body.status())) {
            throw new InvalidValuesException("status is required: one of new, acknowledged, resolved, false_positive");
        }
        if (body.note() != null && body.note().length() > MAX_NOTE) {
            throw new InvalidValuesException("note must be at most " + MAX_NOTE + " characters");
        }
        Caller caller = Caller.of(token);
        AnomalyView changed = service.changeStatus(caller.orgId(), uuid, body.status(), body.note(), caller.principal())
                .orElseThrow(() -> notFound(id));
        return changed.withHistory(anomalies.history(uuid));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("no anomaly " + id + " in your organization");
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidValuesException(name + " must be an ISO-8601 instant such as 2026-11-21T10:15:30Z");
        }
    }

    static String encodeCursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("s" + seq).getBytes(StandardCharsets.UTF_8));
    }

    static long decodeCursor(String cursor) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!decoded.startsWith("s")) {
                throw new IllegalArgumentException();
            }
            return Long.parseLong(decoded.substring(1));
        } catch (IllegalArgumentException e) {
            throw new InvalidValuesException("cursor is not one this API returned");
        }
    }
}
