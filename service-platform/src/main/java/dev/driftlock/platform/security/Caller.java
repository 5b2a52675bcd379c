package dev.driftlock.platform.security;

import io.quarkus.security.UnauthorizedException;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling a service behind the gateway, from the internal token the gateway signed and
 * SmallRye JWT verified (docs/adr/0002): the org whose data may be touched, the principal (user or
 * API key) and the granted scopes ({@code ingest}, {@code read}, {@code admin}).
 */
public record Caller(String orgId, String principal, Set<String> scopes) {

    public static final String INGEST = "ingest";
    public static final String READ = "read";
    public static final String ADMIN = "admin";

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    /** The caller of a verified token; a token without org or subject is not a caller (401). */
    public static Caller of(JsonWebToken token) {
        String org = token.getClaim("org");
        if (org == null || org.isBlank() || token.getSubject() == null) {
            throw new UnauthorizedException("internal token lacks org or subject");
        }
        return new Caller(org, token.getSubject(), token.getGroups());
    }
}
