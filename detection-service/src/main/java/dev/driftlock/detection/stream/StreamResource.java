package dev.driftlock.detection.stream;

import dev.driftlock.cbad.InputKind;
import dev.driftlock.detection.problem.InvalidValuesException;
import dev.driftlock.detection.problem.NotFoundException;
import dev.driftlock.platform.security.Caller;
import dev.driftlock.detection.settings.SettingsRepository;
import dev.driftlock.detection.settings.StreamSettings;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The org's streams and their per-stream detection overrides. */
@Path("/v1/streams")
@Produces(MediaType.APPLICATION_JSON)
class StreamResource {

    private static final int MAX_FIELDS = 100;

    private final StreamRepository streams;
    private final SettingsRepository settings;
    private final JsonWebToken token;

    StreamResource(StreamRepository streams, SettingsRepository settings, JsonWebToken token) {
        this.streams = streams;
        this.settings = settings;
        this.token = token;
    }

    /**
     * New per-stream overrides (replace the previous ones).
     *
     * @param kind          JSON, TEXT or NUMERIC; only before the stream's first event
     * @param sensitivity   0.0..1.0, or null to inherit the org's
     * @param includeFields fields to analyse (empty or null: all)
     * @param excludeFields fields never analysed
     */
    record SettingsBody(String kind, Double sensitivity, List<String> includeFields, List<String> excludeFields) {
    }

    /** The caller org's streams, by id. */
    @GET
    @RolesAllowed({Caller.READ, Caller.ADMIN})
    public List<StreamView> list() {
        return streams.list(Caller.of(token).orgId());
    }

    @GET
    @Path("{streamId}")
    @RolesAllowed({Caller.READ, Caller.ADMIN})
    public StreamView get(@PathParam("streamId") String streamId) {
        validId(streamId);
        String org = Caller.of(token).orgId();
        Optional<StreamView> stream = streams.find(org, streamId);
        Optional<StreamSettings> overrides = settings.stream(org, streamId);
        if (stream.isEmpty() && overrides.isEmpty()) {
            throw new NotFoundException("no stream " + streamId + " in your organization");
        }
        return view(org, streamId, stream, overrides.orElse(StreamSettings.NONE));
    }

    @PUT
    @Path("{streamId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.ADMIN)
    public StreamView put(@PathParam("streamId") String streamId, SettingsBody body) {
        validId(streamId);
        if (body == null) {
            throw new InvalidValuesException("a settings object is required");
        }
        if (body.sensitivity() != null && !(body.sensitivity() >= 0.0 && body.sensitivity() <= 1.0)) {
            throw new InvalidValuesException("sensitivity must be within 0.0..1.0 (or null to inherit), got " + body.sensitivity());
        }
        InputKind kind = null;
        if (body.kind() != null) {
            try {
                kind = InputKind.valueOf(body.kind().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidValuesException("kind must be one of JSON, TEXT, NUMERIC");
            }
        }
        List<String> include = fields("includeFields", body.includeFields());
        List<String> exclude = fields("excludeFields", body.excludeFields());
        String org = Caller.of(token).orgId();
        Optional<StreamView> stream = streams.find(org, streamId);
        if (kind != null && stream.isPresent() && stream.get().kind() != null && !stream.get().kind().equals(kind.name())) {
            throw new InvalidValuesException("kind cannot change once a stream has events (it is " + stream.get().kind() + ")");
        }
        StreamSettings saved = settings.putStream(org, streamId, new StreamSettings(kind, body.sensitivity(), include, exclude, null));
        return view(org, streamId, stream, saved);
    }

    private StreamView view(String org, String streamId, Optional<StreamView> stream, StreamSettings overrides) {
        StreamView base = stream.orElse(new StreamView(streamId, overrides.kind() == null ? null : overrides.kind().name(),
                0, 0, null, null, null, null));
        double effective = overrides.sensitivity() != null ? overrides.sensitivity() : settings.orgSensitivity(org);
        return base.withSettings(overrides, effective);
    }

    private static void validId(String streamId) {
        if (!IngestRecord.STREAM_ID.matcher(streamId).matches()) {
            throw new InvalidValuesException("streamId must be 1-128 characters of A-Z a-z 0-9 . _ -");
        }
    }

    private static List<String> fields(String name, List<String> fields) {
        if (fields == null) {
            return List.of();
        }
        if (fields.size() > MAX_FIELDS) {
            throw new InvalidValuesException(name + " may name at most " + MAX_FIELDS + " fields");
        }
        for (String field : fields) {
            if (field == null || field.isBlank() || field.length() > 256) {
                throw new InvalidValuesException(name + " must contain non-blank names of at most 256 characters");
            }
        }
        return fields.stream().map(String::strip).distinct().sorted().toList();
    }
}
