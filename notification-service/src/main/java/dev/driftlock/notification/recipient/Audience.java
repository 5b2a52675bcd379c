package dev.driftlock.notification.recipient;

import java.util.List;

/**
 * Who receives an org's e-mails.
 *
 * @param orgName     the org's display name, as e-mails address it
 * @param recipients  the org's billing contacts
 * @param usageEmails whether usage e-mails are wanted
 */
public record Audience(String orgName, List<String> recipients, boolean usageEmails) {
}
