package dev.driftlock.notification;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the notification service ({@code driftlock.notification.*}, env {@code DRIFTLOCK_NOTIFICATION_*}). */
@ConfigMapping(prefix = "driftlock.notification")
public interface NotificationConfig {

    /** Retries of an event whose processing failed for a reason other than bad input, before it is dead-lettered. */
    @WithDefault("8")
    int processingRetries();

    /** Where links in e-mails point (the dashboard). */
    @WithDefault("http://localhost:8080")
    String dashboardUrl();
}
