package dev.driftlock.notification.recipient;

import jakarta.validation.constraints.NotNull;

/**
 * The body of {@code PUT /v1/notification-settings}.
 *
 * @param usageEmails whether usage e-mails (70/90/100%) are sent; required
 */
record SettingsUpdate(@NotNull Boolean usageEmails) {
}
