package dev.driftlock.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error answer ({@code application/problem+json}) of
 * every service: the wire shape of docs/adr/0006.
 *
 * @param type     URI naming the kind of problem ({@value #TYPE_BASE}{@code <slug>})
 * @param title    short summary of the kind
 * @param status   HTTP status
 * @param detail   what went wrong in this request, and how to fix it
 * @param instance the request path
 * @param errors   per-field errors, for validation problems
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://driftlock.dev/problems/";

    /** A problem of the kind {@code slug}, without field errors. */
    public static Problem of(int status, String slug, String title, String detail, String instance) {
        return new Problem(TYPE_BASE + slug, title, status, detail, instance, null);
    }

    /** One invalid field. */
    public record FieldError(String field, String message) {
    }
}
