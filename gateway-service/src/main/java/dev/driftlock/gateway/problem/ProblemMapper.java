package dev.driftlock.gateway.problem;

import dev.driftlock.platform.problem.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The proxy's half of the problem+json mapping: the proxy is a Vert.x route, outside Quarkus REST,
 * so its failures are rendered here, in the shape service-platform's mapper gives REST endpoints
 * (with the gateway's own 401 detail, {@code driftlock.problem.unauthenticated-detail}).
 */
public final class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    /** The gateway's 401 detail; application.properties gives the REST mapper the same words. */
    static final String UNAUTHENTICATED_DETAIL =
            "Send a valid API key (X-Api-Key: dlk_... or Authorization: Bearer dlk_...) or an OIDC access token.";

    private ProblemMapper() {
    }

    /** A problem with its status, for answers written outside Quarkus REST. */
    public record Rendered(int status, Problem problem) {
    }

    /** Maps a failure of a proxied request like the REST mapper maps REST failures. */
    public static Rendered render(Throwable e, String path) {
        Problem problem = switch (e) {
            case dev.driftlock.platform.problem.ProblemException p -> p.toProblem(path);
            case UnauthorizedException u -> Problem.of(401, "unauthenticated", "Unauthenticated", UNAUTHENTICATED_DETAIL, path);
            case AuthenticationFailedException a -> Problem.of(401, "unauthenticated", "Unauthenticated",
                    "The API key or token is not valid (unknown, revoked or expired). " + UNAUTHENTICATED_DETAIL, path);
            case ForbiddenException f -> Problem.of(403, "forbidden", "Forbidden", "The credentials used lack the scope this operation needs.", path);
            default -> {
                String errorId = UUID.randomUUID().toString();
                LOG.errorf(e, "unexpected error %s on %s", errorId, path);
                yield Problem.of(500, "internal", "Internal error", "Something went wrong on our side (error id " + errorId + ").", path);
            }
        };
        return new Rendered(problem.status(), problem);
    }
}
