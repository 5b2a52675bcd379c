package dev.driftlock.notification;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the notification service ({@code driftlock.notification.*}, env {@code DRIFTLOCK_NOTIFICATION_*}). */
@ConfigMapping(prefix = "driftlock.notification")
public interface NotificationConfig {

    /** Where links in e-mails point (the dashboard). */
    @WithDefault("http://localhost:8080")
    String dashboardUrl();

    /** Which provider sends the e-mails: {@code resend} (REST API) or {@code smtp} (self-hosted installs). */
    @WithDefault("resend")
    Provider provider();

    /** The sender of every e-mail, e.g. {@code DriftLock <notifications@driftlock.dev>}. */
    @WithDefault("DriftLock <notifications@driftlock.dev>")
    String from();

    /** Retry policy of one e-mail, for both providers. */
    Delivery delivery();

    /** The Resend REST API. */
    Resend resend();

    /** E-mail providers. */
    enum Provider {
        RESEND, SMTP
    }

    /** How often and how patiently one e-mail is retried before it is marked failed and its event dead-lettered. */
    interface Delivery {

        /** Attempts per e-mail (the first one included) on 429, 5xx and network errors. */
        @WithDefault("6")
        int maxAttempts();

        /** Wait before the second attempt; doubled per attempt. */
        @WithDefault("500ms")
        Duration initialBackoff();

        /** Upper bound of the exponential wait. */
        @WithDefault("30s")
        Duration maxBackoff();

        /** Upper bound of a provider's {@code Retry-After}; longer waits are cut to this. */
        @WithDefault("60s")
        Duration maxRetryAfter();
    }

    /** Resend ({@code POST /emails}). */
    interface Resend {

        /** API base URL (tests point it at WireMock). */
        @WithDefault("https://api.resend.com")
        String baseUrl();

        /** API key ({@code re_...}); required when the provider is {@code resend}. */
        Optional<String> apiKey();

        /** Client-side rate limit: requests per second sent to Resend (its default account limit is 2). */
        @WithDefault("2")
        double requestsPerSecond();

        /** Connect and read timeout of one request. */
        @WithDefault("10s")
        Duration timeout();

        /** Signing secret of Resend's delivery webhooks ({@code whsec_...}); without it webhooks are refused. */
        Optional<String> webhookSecret();
    }
}
