package dev.driftlock.gateway.apikey;

import dev.driftlock.gateway.apikey.ApiKeyDtos.CreatedKey;
import dev.driftlock.gateway.apikey.ApiKeyDtos.KeyView;
import dev.driftlock.gateway.audit.AuditLog;
import dev.driftlock.gateway.security.AccessDeniedException;
import dev.driftlock.gateway.security.Caller;
import dev.driftlock.gateway.security.NotFoundException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/** Transaction boundary of API keys: create (shown once), list, revoke; each change audited. */
@ApplicationScoped
public class ApiKeyService {

    private final Pool pool;
    private final ApiKeyVerifier verifier;
    private final AuditLog audit;
    private final RevocationBroadcast revocations;

    ApiKeyService(Pool pool, ApiKeyVerifier verifier, AuditLog audit, RevocationBroadcast revocations) {
        this.pool = pool;
        this.verifier = verifier;
        this.audit = audit;
        this.revocations = revocations;
    }

    /** A new key for the caller's org; the plaintext is in the answer and nowhere else. */
    public Uni<CreatedKey> create(Caller caller, String name, List<String> scopes, List<String> streams) {
        requireAdmin(caller);
        ApiKeyFormat.NewKey key = verifier.format().generate();
        Instant now = Instant.now();
        List<String> sortedScopes = List.copyOf(new TreeSet<>(scopes));
        List<String> sortedStreams = streams == null || streams.isEmpty() ? null : List.copyOf(new TreeSet<>(streams));
        return pool.withTransaction(tx -> tx.preparedQuery("""
                                INSERT INTO api_key (id, org_id, name, secret_hash, scopes, streams, created_by, created_at)
                                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""")
                        .execute(Tuple.tuple(Arrays.asList(key.lookupId(), caller.orgId(), name,
                                io.vertx.core.buffer.Buffer.buffer(key.secretHash()), sortedScopes.toArray(new String[0]),
                                sortedStreams == null ? null : sortedStreams.toArray(new String[0]), caller.principal(),
                                now.atOffset(ZoneOffset.UTC))))
                        .chain(() -> audit.record(tx, caller.orgId(), caller.principal(), "api_key.created", key.lookupId(),
                                name + " " + String.join(",", sortedScopes), now)))
                .replaceWith(new CreatedKey(key.lookupId(), key.plaintext(), name, sortedScopes, sortedStreams, now));
    }

    public Uni<List<KeyView>> list(Caller caller) {
        requireAdmin(caller);
        return pool.preparedQuery("SELECT * FROM api_key WHERE org_id = $1 ORDER BY created_at, id").execute(Tuple.of(caller.orgId()))
                .map(rows -> {
                    List<KeyView> views = new ArrayList<>();
                    rows.forEach(row -> views.add(view(row)));
                    return views;
                });
    }

    /** Revokes a key of the caller's org; it stops working at once here and within seconds everywhere. */
    public Uni<Void> revoke(Caller caller, String keyId) {
        requireAdmin(caller);
        Instant now = Instant.now();
        return pool.withTransaction(tx -> tx.preparedQuery("""
                                UPDATE api_key SET revoked_at = COALESCE(revoked_at, $3) WHERE id = $1 AND org_id = $2 RETURNING name""")
                        .execute(Tuple.of(keyId, caller.orgId(), now.atOffset(ZoneOffset.UTC)))
                        .chain(rows -> {
                            if (rows.size() == 0) {
                                throw new NotFoundException("No API key " + keyId + " in this org.");
                            }
                            return audit.record(tx, caller.orgId(), caller.principal(), "api_key.revoked", keyId,
                                    rows.iterator().next().getString("name"), now);
                        }))
                .chain(() -> revocations.announce(keyId));
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.has(Caller.ADMIN)) {
            throw new AccessDeniedException("Managing API keys needs the admin scope (an org owner or admin, or an admin key).");
        }
    }

    private static KeyView view(Row row) {
        String[] streams = row.getArrayOfStrings("streams");
        return new KeyView(row.getString("id"), row.getString("name"), Arrays.asList(row.getArrayOfStrings("scopes")),
                streams == null ? null : Arrays.asList(streams), row.getString("created_by"), instant(row.getOffsetDateTime("created_at")),
                instant(row.getOffsetDateTime("revoked_at")), instant(row.getOffsetDateTime("last_used_at")));
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
