package dev.driftlock.gateway.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;

/** Records key and member changes in the transaction that makes them. */
@ApplicationScoped
public class AuditLog {

    public Uni<Void> record(SqlConnection tx, String orgId, String actor, String action, String target, String detail, Instant at) {
        return tx.preparedQuery("INSERT INTO audit_log (org_id, actor, action, target, detail, at) VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.tuple(java.util.Arrays.asList(orgId, actor, action, target, detail, at.atOffset(ZoneOffset.UTC))))
                .replaceWithVoid();
    }
}
