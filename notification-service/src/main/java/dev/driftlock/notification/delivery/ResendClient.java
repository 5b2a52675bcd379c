package dev.driftlock.notification.delivery;

import dev.driftlock.notification.NotificationConfig;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends e-mails through Resend's REST API with the fault tolerance around it: a client-side rate
 * limit, an {@code Idempotency-Key} per e-mail, exponential backoff on 5xx and network errors, and
 * the server's {@code Retry-After} on 429. Other 4xx answers are permanent failures.
 */
@ApplicationScoped
@LookupIfProperty(name = "driftlock.notification.provider", stringValue = "resend", lookupIfMissing = true)
public class ResendClient implements EmailSender {

    private final ResendApi api;
    private final String authorization;
    private final SendRateLimiter limiter;
    private final Attempts attempts;

    ResendClient(NotificationConfig config, Vertx vertx) {
        NotificationConfig.Resend resend = config.resend();
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(resend.baseUrl()))
                .connectTimeout(resend.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(resend.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(ResendApi.class);
        this.authorization = "Bearer " + resend.apiKey().orElse("");
        this.limiter = new SendRateLimiter(resend.requestsPerSecond());
        NotificationConfig.Delivery delivery = config.delivery();
        this.attempts = new Attempts(vertx, new RetryPolicy(delivery.maxAttempts(), delivery.initialBackoff(), delivery.maxBackoff(),
                delivery.maxRetryAfter()));
    }

    @Override
    public String name() {
        return "resend";
    }

    @Override
    public Uni<String> send(OutgoingEmail email) {
        ResendApi.Email body = new ResendApi.Email(email.from(), List.of(email.to()), email.subject(), email.html(), email.text());
        return attempts.run("resend " + email.idempotencyKey(), () -> attempts
                .pause(Duration.ofNanos(limiter.reserve(System.nanoTime())))
                .chain(() -> api.send(authorization, email.idempotencyKey(), body))
                .map(ResendClient::outcome)
                .onFailure(WebApplicationException.class).recoverWithItem(e -> outcome(((WebApplicationException) e).getResponse()))
                .onFailure().recoverWithItem(e -> new Outcome.Retry("network error: " + e, null)));
    }

    static Outcome outcome(Response response) {
        int status = response.getStatus();
        if (status >= 200 && status < 300) {
            ResendApi.Sent sent = response.readEntity(ResendApi.Sent.class);
            return sent == null || sent.id() == null
                    ? new Outcome.Retry("Resend answered " + status + " without an id", null)
                    : new Outcome.Sent(sent.id());
        }
        String reason = "Resend answered " + status + describe(response);
        if (status == 429) {
            return new Outcome.Retry(reason, retryAfter(response.getHeaderString("Retry-After"), Instant.now()));
        }
        if (status == 409 && reason.contains("concurrent_idempotent_requests")) {
            return new Outcome.Retry(reason, null);
        }
        if (status >= 500 || status == 408) {
            return new Outcome.Retry(reason, null);
        }
        return new Outcome.Permanent(reason);
    }

    private static String describe(Response response) {
        try {
            ResendApi.Error error = response.readEntity(ResendApi.Error.class);
            return error == null ? "" : " " + error.name() + ": " + error.message();
        } catch (RuntimeException unreadable) {
            return "";
        }
    }

    /** {@code Retry-After} as delay-seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }
}
