package dev.driftlock.notification.email;

/** An e-mail's subject and its HTML and plain-text bodies. */
public record RenderedEmail(String subject, String html, String text) {
}
