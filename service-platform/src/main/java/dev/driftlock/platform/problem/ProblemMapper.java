package dev.driftlock.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become {@code application/problem+json}; never a stack trace.
 * Quarkus REST finds these mappers in every service that depends on this module.
 */
class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    static final String FORBIDDEN_DETAIL = "The credentials used lack the scope this operation needs.";

    private final ProblemConfig config;

    ProblemMapper(ProblemConfig config) {
        this.config = config;
    }

    @ServerExceptionMapper
    public Response feature(ProblemException e, UriInfo uri) {
        return answer(e.toProblem(path(uri)));
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(answer(Problem.of(401, "unauthenticated", "Unauthenticated", config.unauthenticatedDetail(), path(uri))))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return answer(Problem.of(403, "forbidden", "Forbidden", FORBIDDEN_DETAIL, path(uri)));
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return answer(new Problem(Problem.TYPE_BASE + "validation", "Invalid values", 422, "Some values are not valid; see errors.",
                path(uri), errors));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        return answer(Problem.of(400, "malformed-json", "Malformed JSON",
                "The request body is not valid JSON of the expected shape: " + e.getOriginalMessage(), path(uri)));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            // a body that is not JSON at all (truncated, not JSON) arrives wrapped by the JSON reader
            return malformedJson(json, uri);
        }
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        return answer(Problem.of(status, title.toLowerCase().replace(' ', '-'), title, e.getMessage(), path(uri)));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        return answer(internal(e, path(uri)));
    }

    /** The 500 problem for an unexpected failure, logged with an error id the answer names. */
    static Problem internal(Throwable e, String path) {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s on %s", errorId, path);
        return Problem.of(500, "internal", "Internal error", "Something went wrong on our side (error id " + errorId + ").", path);
    }

    private static Response answer(Problem body) {
        return Response.status(body.status()).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    /**
     * The invalid value's name as the client wrote it: the body property path ({@code name},
     * {@code billingEmails[0]}), else the query or path parameter; never the Java method or argument.
     */
    private static String field(Path path) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            switch (node.getKind()) {
                case PARAMETER -> parameter = node.getName();
                case PROPERTY, CONTAINER_ELEMENT, BEAN -> {
                    if (node.isInIterable()) {
                        field.append('[').append(node.getIndex() != null ? node.getIndex() : node.getKey() != null ? node.getKey() : "").append(']');
                    }
                    if (node.getName() != null && !node.getName().startsWith("<")) {
                        field.append(field.isEmpty() ? "" : ".").append(node.getName());
                    }
                }
                default -> {
                }
            }
        }
        return !field.isEmpty() ? field.toString() : parameter != null ? parameter : path.toString();
    }
}
