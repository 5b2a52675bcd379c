package dev.driftlock.events;

import java.util.List;
import java.util.Objects;

/**
 * An organization's name or billing contacts changed; carries the full new values.
 *
 * @param name          display name
 * @param billingEmails billing contacts
 * @param revision      monotonically increasing per org
 */
public record OrgUpdated(String name, List<String> billingEmails, long revision) implements OrgEvent {

    public OrgUpdated {
        Objects.requireNonNull(name, "name");
        billingEmails = List.copyOf(Objects.requireNonNull(billingEmails, "billingEmails"));
    }
}
