package dev.driftlock.events;

import java.util.List;
import java.util.Objects;

/**
 * A new organization signed up.
 *
 * @param name          display name
 * @param billingEmails billing contacts (at least one)
 * @param ownerUserId   the OIDC subject of the owner
 * @param ownerEmail    the owner's e-mail
 */
public record OrgCreated(String name, List<String> billingEmails, String ownerUserId, String ownerEmail) implements OrgEvent {

    public OrgCreated {
        Objects.requireNonNull(name, "name");
        billingEmails = List.copyOf(Objects.requireNonNull(billingEmails, "billingEmails"));
    }
}
