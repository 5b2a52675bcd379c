package dev.driftlock.notification.recipient;

import java.util.List;

/**
 * Who receives the org's e-mails and which kinds.
 *
 * @param recipients  the org's billing contacts
 * @param usageEmails whether usage e-mails (70/90/100%) are sent
 */
record NotificationSettings(List<String> recipients, boolean usageEmails) {
}
