package dev.driftlock.gateway.org;

import dev.driftlock.gateway.security.AccessDeniedException;
import dev.driftlock.gateway.security.Caller;
import dev.driftlock.gateway.security.NotAuthenticatedException;
import dev.driftlock.gateway.security.NotFoundException;
import dev.driftlock.gateway.security.VerifiedKey;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns an authenticated identity into a {@link Caller}: an API key acts for its own org; an OIDC
 * user acts for an org they are a member of, with the scopes of their role. Memberships are cached
 * for a few seconds so proxied calls of users do not hit the database each time.
 */
@ApplicationScoped
public class CallerResolver {

    private static final long MEMBERSHIP_TTL_NANOS = 5_000_000_000L;

    private final Pool pool;
    private final Map<String, CachedMemberships> memberships = new ConcurrentHashMap<>();

    CallerResolver(Pool pool) {
        this.pool = pool;
    }

    /** The OIDC subject of a user, or null for API keys and anonymous callers. */
    public static String userId(SecurityIdentity identity) {
        if (identity.isAnonymous() || identity.getAttribute(VerifiedKey.ATTRIBUTE) != null) {
            return null;
        }
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null) {
            return jwt.getSubject();
        }
        return identity.getPrincipal().getName();
    }

    /** The e-mail claim of a user's token, if any. */
    static String email(SecurityIdentity identity) {
        return identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim("email") : null;
    }

    /**
     * For proxied calls: a key acts for its org; a user for {@code orgHint} (header
     * {@code X-DriftLock-Org}) or, without it, for their only org.
     */
    public Uni<Caller> resolve(SecurityIdentity identity, String orgHint) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().failure(new NotAuthenticatedException(
                    "Send an API key (X-Api-Key: dlk_... or Authorization: Bearer dlk_...) or an OIDC access token."));
        }
        VerifiedKey key = identity.getAttribute(VerifiedKey.ATTRIBUTE);
        if (key != null) {
            return Uni.createFrom().item(key.caller());
        }
        String user = userId(identity);
        return membershipsOf(user).map(list -> {
            if (orgHint != null && !orgHint.isBlank()) {
                return list.stream().filter(m -> m.orgId().equals(orgHint)).findFirst()
                        .map(m -> m.caller(user))
                        .orElseThrow(() -> new NotFoundException("No org " + orgHint + " among your memberships."));
            }
            if (list.size() == 1) {
                return list.getFirst().caller(user);
            }
            throw new AccessDeniedException(list.isEmpty()
                    ? "You are not a member of any org: sign up with POST /v1/orgs or ask an admin to add you."
                    : "You are a member of several orgs: name one in the X-DriftLock-Org header.");
        });
    }

    /** For the gateway's own org endpoints: the caller acting on {@code orgId}; 404 unless it is theirs. */
    public Uni<Caller> inOrg(SecurityIdentity identity, String orgId) {
        return resolve(identity, orgId).map(caller -> {
            if (!caller.orgId().equals(orgId)) {
                throw new NotFoundException("No org " + orgId + " for these credentials.");
            }
            return caller;
        });
    }

    /** Forgets every cached membership (an org's plan changed). */
    void forgetAll() {
        memberships.clear();
    }

    /** Forgets a user's cached memberships (after they changed). */
    void forget(String userId) {
        memberships.remove(userId);
    }

    private Uni<List<Membership>> membershipsOf(String userId) {
        CachedMemberships cached = memberships.get(userId);
        if (cached != null && System.nanoTime() - cached.loadedAt() < MEMBERSHIP_TTL_NANOS) {
            return Uni.createFrom().item(cached.list());
        }
        return pool.preparedQuery("""
                        SELECT m.org_id, m.role, o.plan FROM member m JOIN org o ON o.id = m.org_id
                        WHERE m.user_id = $1 ORDER BY m.org_id""")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<Membership> list = new ArrayList<>();
                    for (Row row : rows) {
                        list.add(new Membership(row.getString("org_id"), Role.of(row.getString("role")), row.getString("plan")));
                    }
                    memberships.put(userId, new CachedMemberships(List.copyOf(list), System.nanoTime()));
                    return list;
                });
    }

    private record Membership(String orgId, Role role, String plan) {
        Caller caller(String userId) {
            return new Caller(orgId, userId, role.scopes, plan, null, null);
        }
    }

    private record CachedMemberships(List<Membership> list, long loadedAt) {
    }
}
