package dev.driftlock.gateway.org;

import dev.driftlock.events.Envelope;
import dev.driftlock.events.OrgCreated;
import dev.driftlock.events.OrgUpdated;
import dev.driftlock.events.Topics;
import dev.driftlock.gateway.audit.AuditLog;
import dev.driftlock.gateway.org.OrgDtos.AuditView;
import dev.driftlock.gateway.org.OrgDtos.MemberView;
import dev.driftlock.gateway.org.OrgDtos.OrgView;
import dev.driftlock.platform.outbox.Outbox;
import dev.driftlock.gateway.security.AccessDeniedException;
import dev.driftlock.gateway.security.Caller;
import dev.driftlock.gateway.security.NotFoundException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Transaction boundary of orgs and members. Every change writes its audit row and, for org
 * facts, its {@code OrgCreated}/{@code OrgUpdated} outbox row in the same transaction.
 */
@ApplicationScoped
class OrgService {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;
    private final Outbox outbox;
    private final AuditLog audit;
    private final CallerResolver callers;

    OrgService(Pool pool, Outbox outbox, AuditLog audit, CallerResolver callers) {
        this.pool = pool;
        this.outbox = outbox;
        this.audit = audit;
        this.callers = callers;
    }

    /** Sign-up: a new org with {@code userId} as its owner, announced as {@code OrgCreated} (revision 1). */
    Uni<OrgView> create(String userId, String email, String name, List<String> billingEmails) {
        return create(newOrgId(), userId, email, name, billingEmails);
    }

    Uni<OrgView> create(String orgId, String userId, String email, String name, List<String> billingEmails) {
        Instant now = Instant.now();
        UUID eventId = UUID.nameUUIDFromBytes(("org-created:" + orgId).getBytes(StandardCharsets.UTF_8));
        return pool.withTransaction(tx -> tx.preparedQuery("""
                                INSERT INTO org (id, name, billing_emails, revision, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $4)""")
                        .execute(Tuple.of(orgId, name, billingEmails.toArray(new String[0]), now.atOffset(ZoneOffset.UTC)))
                        .chain(() -> tx.preparedQuery("INSERT INTO member (org_id, user_id, email, role, added_at) VALUES ($1, $2, $3, 'owner', $4)")
                                .execute(Tuple.of(orgId, userId, email, now.atOffset(ZoneOffset.UTC))))
                        .chain(() -> audit.record(tx, orgId, userId, "org.created", orgId, name, now))
                        .chain(() -> outbox.append(tx, Topics.ORGS, Envelope.of(eventId, orgId, now, new OrgCreated(name, billingEmails, userId, email)))))
                .invoke(() -> callers.forget(userId))
                .replaceWith(new OrgView(orgId, name, billingEmails, "developer", 1, Role.OWNER.wire()));
    }

    /** Whether an org exists (for the demo seed). */
    Uni<Boolean> exists(String orgId) {
        return pool.preparedQuery("SELECT 1 FROM org WHERE id = $1").execute(Tuple.of(orgId)).map(rows -> rows.size() > 0);
    }

    Uni<List<OrgView>> orgsOf(Caller caller, String userId) {
        String sql = userId == null
                ? "SELECT o.*, NULL AS role FROM org o WHERE o.id = $1"
                : "SELECT o.*, m.role FROM org o JOIN member m ON m.org_id = o.id WHERE m.user_id = $1 ORDER BY o.id";
        return pool.preparedQuery(sql).execute(Tuple.of(userId == null ? caller.orgId() : userId)).map(rows -> {
            List<OrgView> views = new ArrayList<>();
            rows.forEach(row -> views.add(view(row)));
            return views;
        });
    }

    Uni<OrgView> get(Caller caller) {
        return pool.preparedQuery("SELECT o.*, m.role FROM org o LEFT JOIN member m ON m.org_id = o.id AND m.user_id = $2 WHERE o.id = $1")
                .execute(Tuple.of(caller.orgId(), caller.principal()))
                .map(rows -> view(rows.iterator().next()));
    }

    /** New name and billing contacts; {@code OrgUpdated} with the next revision. */
    Uni<OrgView> update(Caller caller, String name, List<String> billingEmails) {
        requireAdmin(caller);
        Instant now = Instant.now();
        return pool.withTransaction(tx -> tx.preparedQuery("""
                                UPDATE org SET name = $2, billing_emails = $3, revision = revision + 1, updated_at = $4
                                WHERE id = $1 RETURNING *, NULL AS role""")
                        .execute(Tuple.of(caller.orgId(), name, billingEmails.toArray(new String[0]), now.atOffset(ZoneOffset.UTC)))
                        .chain(rows -> {
                            OrgView view = view(rows.iterator().next());
                            UUID eventId = UUID.nameUUIDFromBytes(("org-updated:" + view.id() + ":" + view.revision()).getBytes(StandardCharsets.UTF_8));
                            return audit.record(tx, caller.orgId(), caller.principal(), "org.updated", caller.orgId(), name, now)
                                    .chain(() -> outbox.append(tx, Topics.ORGS, Envelope.of(eventId, caller.orgId(), now,
                                            new OrgUpdated(name, billingEmails, view.revision()))))
                                    .replaceWith(view);
                        }));
    }

    /**
     * The org's plan from billing (rate limits per plan). Only a newer {@code revision} than the one
     * applied changes it, so a redelivered or out-of-order older event is harmless; each change is
     * audited (actor {@code billing}). Takes effect on every replica within the key and membership
     * caches' TTL (5 s); on this one at once for users.
     */
    Uni<Void> changePlan(String orgId, String plan, long revision) {
        Instant now = Instant.now();
        return pool.withTransaction(tx -> tx.preparedQuery("""
                                UPDATE org o SET plan = $2, plan_revision = $3
                                FROM (SELECT id, plan AS old_plan FROM org WHERE id = $1 FOR UPDATE) old
                                WHERE o.id = old.id AND o.plan_revision < $3
                                RETURNING old.old_plan""")
                        .execute(Tuple.of(orgId, plan, revision))
                        .chain(rows -> rows.size() == 0 ? Uni.createFrom().voidItem()
                                : audit.record(tx, orgId, "billing", "org.plan_changed", orgId,
                                        rows.iterator().next().getString("old_plan") + " -> " + plan + " (revision " + revision + ")", now)))
                .invoke(callers::forgetAll);
    }

    Uni<List<MemberView>> members(Caller caller) {
        return pool.preparedQuery("SELECT user_id, email, role, added_at FROM member WHERE org_id = $1 ORDER BY added_at, user_id")
                .execute(Tuple.of(caller.orgId()))
                .map(rows -> {
                    List<MemberView> views = new ArrayList<>();
                    rows.forEach(row -> views.add(new MemberView(row.getString("user_id"), row.getString("email"), row.getString("role"),
                            row.getOffsetDateTime("added_at").toInstant())));
                    return views;
                });
    }

    /** Adds a member or changes a role; only an owner grants or takes away ownership, and an org keeps at least one owner. */
    Uni<MemberView> putMember(Caller caller, String userId, Role role, String email) {
        requireAdmin(caller);
        Instant now = Instant.now();
        return pool.withTransaction(tx -> roleOf(tx, caller.orgId(), caller.principal()).chain(actorRole -> roleOf(tx, caller.orgId(), userId)
                        .chain(current -> {
                            boolean touchesOwner = role == Role.OWNER || current == Role.OWNER;
                            if (touchesOwner && actorRole != Role.OWNER) {
                                throw new AccessDeniedException("Only an owner can grant or take away the owner role.");
                            }
                            Uni<Void> lastOwnerCheck = current == Role.OWNER && role != Role.OWNER
                                    ? requireAnotherOwner(tx, caller.orgId(), userId) : Uni.createFrom().voidItem();
                            return lastOwnerCheck.chain(() -> tx.preparedQuery("""
                                            INSERT INTO member (org_id, user_id, email, role, added_at) VALUES ($1, $2, $3, $4, $5)
                                            ON CONFLICT (org_id, user_id) DO UPDATE SET role = EXCLUDED.role, email = COALESCE(EXCLUDED.email, member.email)
                                            RETURNING user_id, email, role, added_at""")
                                    .execute(Tuple.of(caller.orgId(), userId, email, role.wire(), now.atOffset(ZoneOffset.UTC))))
                                    .chain(rows -> {
                                        Row row = rows.iterator().next();
                                        String action = current == null ? "member.added" : "member.role_changed";
                                        String detail = current == null ? role.wire() : current.wire() + " -> " + role.wire();
                                        return audit.record(tx, caller.orgId(), caller.principal(), action, userId, detail, now)
                                                .replaceWith(new MemberView(row.getString("user_id"), row.getString("email"), row.getString("role"),
                                                        row.getOffsetDateTime("added_at").toInstant()));
                                    });
                        })))
                .invoke(() -> callers.forget(userId));
    }

    Uni<Void> removeMember(Caller caller, String userId) {
        requireAdmin(caller);
        Instant now = Instant.now();
        return pool.withTransaction(tx -> roleOf(tx, caller.orgId(), caller.principal()).chain(actorRole -> roleOf(tx, caller.orgId(), userId)
                        .chain(current -> {
                            if (current == null) {
                                throw new NotFoundException("No member " + userId + " in this org.");
                            }
                            if (current == Role.OWNER && actorRole != Role.OWNER) {
                                throw new AccessDeniedException("Only an owner can remove an owner.");
                            }
                            Uni<Void> lastOwnerCheck = current == Role.OWNER ? requireAnotherOwner(tx, caller.orgId(), userId) : Uni.createFrom().voidItem();
                            return lastOwnerCheck
                                    .chain(() -> tx.preparedQuery("DELETE FROM member WHERE org_id = $1 AND user_id = $2").execute(Tuple.of(caller.orgId(), userId)))
                                    .chain(() -> audit.record(tx, caller.orgId(), caller.principal(), "member.removed", userId, current.wire(), now));
                        })))
                .invoke(() -> callers.forget(userId));
    }

    Uni<List<AuditView>> auditLog(Caller caller) {
        requireAdmin(caller);
        return pool.preparedQuery("SELECT seq, actor, action, target, detail, at FROM audit_log WHERE org_id = $1 ORDER BY seq DESC LIMIT 200")
                .execute(Tuple.of(caller.orgId()))
                .map(rows -> {
                    List<AuditView> views = new ArrayList<>();
                    rows.forEach(row -> views.add(new AuditView(row.getLong("seq"), row.getString("actor"), row.getString("action"),
                            row.getString("target"), row.getString("detail"), row.getOffsetDateTime("at").toInstant())));
                    return views;
                });
    }

    static void requireAdmin(Caller caller) {
        if (!caller.has(Caller.ADMIN)) {
            throw new AccessDeniedException("This needs the admin scope (an org owner or admin, or an API key with scope admin).");
        }
    }

    private static Uni<Role> roleOf(SqlConnection tx, String orgId, String userId) {
        return tx.preparedQuery("SELECT role FROM member WHERE org_id = $1 AND user_id = $2 FOR UPDATE")
                .execute(Tuple.of(orgId, userId))
                .map(rows -> rows.size() == 0 ? null : Role.of(rows.iterator().next().getString("role")));
    }

    private static Uni<Void> requireAnotherOwner(SqlConnection tx, String orgId, String leavingOwner) {
        return tx.preparedQuery("SELECT count(*) AS owners FROM member WHERE org_id = $1 AND role = 'owner' AND user_id <> $2")
                .execute(Tuple.of(orgId, leavingOwner))
                .map(rows -> {
                    if (rows.iterator().next().getLong("owners") == 0) {
                        throw new AccessDeniedException("An org needs at least one owner: make someone else owner first.");
                    }
                    return null;
                });
    }

    private static OrgView view(Row row) {
        return new OrgView(row.getString("id"), row.getString("name"), Arrays.asList(row.getArrayOfStrings("billing_emails")),
                row.getString("plan"), row.getLong("revision"), row.getString("role"));
    }

    private static String newOrgId() {
        StringBuilder id = new StringBuilder("org_");
        for (int i = 0; i < 16; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
