package dev.driftlock.gateway.org;

import dev.driftlock.gateway.security.Caller;
import java.util.Locale;
import java.util.Set;

/** A member's role in an org and the scopes it grants on the suite's API. */
enum Role {
    OWNER(Caller.ALL_SCOPES),
    ADMIN(Caller.ALL_SCOPES),
    MEMBER(Set.of(Caller.INGEST, Caller.READ));

    final Set<String> scopes;

    Role(Set<String> scopes) {
        this.scopes = scopes;
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Role of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
