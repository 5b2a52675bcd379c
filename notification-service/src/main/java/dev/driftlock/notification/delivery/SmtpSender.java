package dev.driftlock.notification.delivery;

import dev.driftlock.notification.NotificationConfig;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.SMTPException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends e-mails over SMTP (quarkus-mailer, {@code quarkus.mailer.*}) for self-hosted installs.
 * SMTP has no idempotency key: the {@code Message-ID} is derived from it instead, so receivers can
 * recognise a copy. Permanent SMTP replies (5xx) fail at once; others are retried with backoff.
 */
@ApplicationScoped
@LookupIfProperty(name = "driftlock.notification.provider", stringValue = "smtp")
public class SmtpSender implements EmailSender {

    private final ReactiveMailer mailer;
    private final Attempts attempts;

    SmtpSender(ReactiveMailer mailer, NotificationConfig config, Vertx vertx) {
        this.mailer = mailer;
        NotificationConfig.Delivery delivery = config.delivery();
        this.attempts = new Attempts(vertx, new RetryPolicy(delivery.maxAttempts(), delivery.initialBackoff(), delivery.maxBackoff(),
                delivery.maxRetryAfter()));
    }

    @Override
    public String name() {
        return "smtp";
    }

    @Override
    public Uni<String> send(OutgoingEmail email) {
        String messageId = "<" + email.idempotencyKey() + "@driftlock>";
        Mail mail = Mail.withHtml(email.to(), email.subject(), email.html())
                .setText(email.text())
                .setFrom(email.from())
                .addHeader("Message-ID", messageId);
        return attempts.run("smtp " + email.idempotencyKey(), () -> mailer.send(mail)
                .map(sent -> (Outcome) new Outcome.Sent(messageId))
                .onFailure().recoverWithItem(SmtpSender::outcome));
    }

    private static Outcome outcome(Throwable failure) {
        if (failure instanceof SMTPException smtp && smtp.isPermanent()) {
            return new Outcome.Permanent("SMTP server answered " + smtp.getReplyCode() + ": " + smtp.getMessage());
        }
        return new Outcome.Retry("SMTP: " + failure.getMessage(), null);
    }
}
